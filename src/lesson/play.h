/* play.h - run a lesson's cells in one sandbox and keep every event.
 *
 * The workbench never steps the engine live: it runs the whole lesson once
 * (deterministically, on the virtual clock) into a trace model, then the
 * learner moves a cursor over the recorded events, forwards or backwards.
 * A DL_EV_CELL event marks where each cell's events begin.
 */
#ifndef DL_PLAY_H
#define DL_PLAY_H

#include "lesson/lesson.h"
#include "script/script.h"
#include "trace/model.h"

typedef struct dl_play {
    dl_model *model; /* owned: every event of the run */
    size_t ncells;
    int64_t *cell_start; /* event index of each cell's CELL event */
    int64_t *cell_end;   /* one past its last event */
    int failed_cell;     /* index of the cell that raised, or -1 */
    char error[512];     /* "file:line: message" when a cell failed or a limit hit */
} dl_play;

/* Run every cell of l (stopping at the first that raises). opts may be NULL
 * for the defaults. Returns 0 when every cell ran, -1 when one failed (see
 * failed_cell / error; the events up to the failure are kept), or DL_ENOMEM. */
int dl_play_lesson(const dl_lesson *l, const dl_script_opts *opts, dl_play *out);
/* The cell whose events contain event i (-1 before the first cell). */
int dl_play_cell_of(const dl_play *p, int64_t i);
/* What cell k printed, lines joined with '\n' (new string). */
char *dl_play_cell_output(const dl_play *p, size_t k);
void dl_play_free(dl_play *p);

/* Compare a learner's prediction with what a cell printed: line by line,
 * ignoring blank lines, blanks at either end of a line, and treating any
 * run of spaces or tabs as one space. 1 when equal. */
int dl_predict_matches(const char *guess, const char *actual);

#endif
