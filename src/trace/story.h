/* story.h - one plain-English line per trace record.
 *
 * The narrative of a run ("d1: callback #2 double got 5", "d2 waits on d3",
 * "Unhandled error in Deferred d4: ValueError: bad") is written from trace
 * records, not live engine events, so `deferlab run`, the workbench's events
 * pane and a replayed trace file all tell the same story.
 */
#ifndef DL_TRACE_STORY_H
#define DL_TRACE_STORY_H

#include <stddef.h>

#include "trace/model.h"

/* Write the line for event i of m's log into buf. Names of Deferreds come
 * from m's state at its cursor (labels), or "d#<id>" when it does not know
 * them yet; a creation uses the label given right after it when the log
 * already has it. Returns the length written. */
size_t dl_story(const dl_model *m, size_t i, char *buf, size_t n);

#endif
