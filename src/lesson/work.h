/* work.h - the learner's working copy of a challenge, and where solutions are.
 *
 * A challenge's working copy lives in $XDG_STATE_HOME/deferlab/work/<id>.lua
 * (beside the progress file). It starts as the challenge's starter and is
 * the learner's from then on: it is created only when missing, never
 * overwritten.
 */
#ifndef DL_WORK_H
#define DL_WORK_H

#include <stddef.h>

#include "lesson/challenge.h"

/* The working copy's path for challenge id. 0, or -1 when no home is known. */
int dl_work_path(const char *id, char *buf, size_t n);
/* Create the working copy from the starter if it does not exist (creating
 * folders). Returns 1 when it was created, 0 when it already existed, -1 on
 * error with the reason in err. Never overwrites. */
int dl_work_ensure(const dl_challenge *c, const char *path, char *err, size_t errlen);
/* ROOT/challenges/x.md -> ROOT/solutions/x.lua */
void dl_work_solution_path(const dl_challenge *c, char *buf, size_t n);

#endif
