/* narrate.h - a readable narrative of engine events, for `deferlab run`.
 *
 * Pure C over dl_event (no JSON): one line per step, the script's own
 * output interleaved in order, each step line led by the script line that
 * caused it:
 *
 *      3 | d1 = Deferred()
 *      4 | d1: added callback #1 double
 *      5 | d1 fires: callback(5)
 *      5 | d1: callback #1 double got 5 -> returned 10
 *     10                                   <- what print() wrote
 *      9 | Unhandled error in Deferred d4: ValueError: bad
 *
 * A call and its return print as one line when nothing happens in between;
 * a Deferred's creation and its label likewise. Events are rendered at once
 * (values are borrowed only during the event), so the narrator may be fed
 * straight from the engine's observer hook.
 */
#ifndef DL_NARRATE_H
#define DL_NARRATE_H

#include <stdio.h>

#include "engine/event.h"

typedef struct dl_narrator dl_narrator;

enum {
    DL_NARRATE_QUIET = 1 << 0 /* only what the script printed */
};

/* A narrator writing to out (not owned). NULL on OOM. */
dl_narrator *dl_narrator_new(FILE *out, unsigned flags);
/* The kinds of event the narrator uses (a dl_engine.listen set): all of them,
 * or under DL_NARRATE_QUIET only output and unhandled errors. */
uint64_t dl_narrator_listens(const dl_narrator *n);
/* Feed one event; usable as a dl_observer_fn with the narrator as ud. */
void dl_narrate(void *narrator, const dl_event *ev);
/* Print whatever is held back waiting for its pair. */
void dl_narrator_flush(dl_narrator *n);
/* How many unhandled errors were reported so far. */
size_t dl_narrator_unhandled(const dl_narrator *n);
/* "file:line: Unhandled error in Deferred d4: ValueError: bad" for the first
 * one reported (the location is where its failure was raised), or "". */
const char *dl_narrator_first_unhandled(const dl_narrator *n);
/* Flush and free. NULL is a no-op. */
void dl_narrator_free(dl_narrator *n);

#endif
