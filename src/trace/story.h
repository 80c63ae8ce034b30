/* story.h - one plain-English line per trace record.
 *
 * The words for every step of a run ("d1: callback #2 double got 5", "d2
 * waits on d3", "Unhandled error in Deferred d4: ValueError: bad") are
 * written here and only here, from trace records: `deferlab run` renders
 * each live event to a record and asks for its words (narrate.c), and the
 * workbench's events pane, replays and text exports ask for the words of
 * the records in a model's log (dl_story). So all of them tell the same
 * story in the same words.
 */
#ifndef DL_TRACE_STORY_H
#define DL_TRACE_STORY_H

#include <stddef.h>
#include <stdint.h>

#include "trace/model.h"
#include "trace/trace.h"

/* Where the words get the names of things. */
typedef struct dl_story_names {
    /* The display name of Deferred id into buf ("d#<id>" when unknown). */
    void (*deferred)(void *ud, uint32_t id, char *buf, size_t n);
    /* The function name of delayed call id, or NULL when unknown. */
    const char *(*call)(void *ud, uint32_t id);
    void *ud;
} dl_story_names;

/* Write the line for record r into buf. Returns the length written. */
size_t dl_story_rec(const dl_trace_rec *r, const dl_story_names *names, char *buf, size_t n);

/* For a RETURN record: "returned 5" or "raised ValueError: bad", what
 * `deferlab run` appends to the CALL line it joins with. */
size_t dl_story_outcome(const dl_trace_rec *r, char *buf, size_t n);

/* Write the line for event i of m's log into buf. Names of Deferreds come
 * from m's state at its cursor (labels), or "d#<id>" when it does not know
 * them yet; a creation uses the label given right after it when the log
 * already has it. Returns the length written. */
size_t dl_story(const dl_model *m, size_t i, char *buf, size_t n);

#endif
