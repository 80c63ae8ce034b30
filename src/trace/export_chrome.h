/* export_chrome.h - a trace as a Chrome trace event file (Perfetto, chrome://tracing).
 *
 * The output is the JSON object form of the Trace Event Format:
 *
 *     {"traceEvents":[ ...one event per line... ],
 *      "displayTimeUnit":"ms",
 *      "otherData":{"producer":"deferlab 0.1","time_base":"seq", ...}}
 *
 * Layout (pid / tid):
 *   pid 1 "deferlab: <source>"   tid N = the Deferred d#N (thread name: its
 *                                label and class); tid 0 = the script
 *                                (cells, output, notes, events about no
 *                                Deferred)
 *   pid 2 "structures"           tid N = structure N (queues, locks, clocks)
 *
 * Events:
 *   - each callback / errback invocation is a complete ("X") slice from its
 *     `call` to its `return` on its Deferred's track, args: index, slot,
 *     input, output, raised; a call the trace never returns from ends at the
 *     end of the trace with args.unfinished = true;
 *   - links are 1 us slices joined by flow arrows ("s" / "f", cat "link"):
 *     waiting (the waiter's "waits on X" -> the hand-off on X), hand-off and
 *     steal (the giver -> the taker), chainDeferred (source -> target);
 *   - everything else (created, added, fired, pass, paused, cancel,
 *     unhandled, state, clock, cells, output ...) is an instant ("i") event.
 *
 * Time: ts is in microseconds. When the trace's time never moves (every
 * event at the same virtual time: the usual lesson), ts is the event's seq
 * and otherData.time_base is "seq". Otherwise ts is the event time in
 * microseconds, bumped to 1 us after the previous event when events share a
 * time, and time_base is "time". Every event carries its seq and t in args.
 */
#ifndef DL_TRACE_EXPORT_CHROME_H
#define DL_TRACE_EXPORT_CHROME_H

#include <stdio.h>

#include "trace/trace.h"

typedef struct dl_chrome_stats {
    size_t events; /* entries written to traceEvents */
    size_t slices; /* "X" slices: invocations and link slices */
    size_t flows;  /* flow arrows (pairs of "s" / "f") */
    int seq_time;  /* 1 when ts is the seq (time never moved) */
} dl_chrome_stats;

/* Write t to out as Chrome trace JSON. stats may be NULL. Returns 0,
 * DL_ENOMEM, or DL_TRACE_EIO when writing failed (out is then incomplete). */
int dl_export_chrome(const dl_trace *t, FILE *out, dl_chrome_stats *stats);

#endif
