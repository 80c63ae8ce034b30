/* progress.h - what the learner has done, kept between runs.
 *
 * One small text file, $XDG_STATE_HOME/deferlab/progress (default
 * ~/.local/state/deferlab/progress), one fact per line so a person can read
 * and fix it:
 *
 *     # deferlab progress
 *     version 1
 *     current 04-returning-deferreds
 *     lesson 01-first-class-calls done
 *     lesson 04-returning-deferreds at 37
 *     challenge 03-memoize passed hints 2
 *
 * Writes are atomic (temp file, fsync, rename). A file that cannot be read
 * is never silently reset: it is moved aside to progress.corrupt-<time> and
 * the reason (with its line) is reported.
 */
#ifndef DL_PROGRESS_H
#define DL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dl_progress_item {
    char *id;
    bool done;     /* lesson done / challenge passed */
    long position; /* lesson: event index to resume at; -1 when none */
    int hints;     /* challenge: hints shown */
    bool revealed; /* challenge: solution shown before passing */
} dl_progress_item;

typedef struct dl_progress {
    char *path;    /* the file */
    char *current; /* current lesson id, or NULL */
    dl_progress_item *lessons, *challenges;
    size_t nlessons, nchallenges;
} dl_progress;

/* The progress file's path: $XDG_STATE_HOME/deferlab/progress, else
 * $HOME/.local/state/deferlab/progress. Returns 0 or -1 (no home). */
int dl_progress_default_path(char *buf, size_t n);

/* Load from path. A missing file is an empty progress (returns 0). A
 * corrupt one is moved aside, progress starts empty, and 1 is returned with
 * the reason in msg. -1 on other errors (msg says why). */
int dl_progress_load(dl_progress *p, const char *path, char *msg, size_t n);
/* Save atomically (creating the folder). 0, or -1 with the reason in msg;
 * the previous file is intact on failure. */
int dl_progress_save(const dl_progress *p, char *msg, size_t n);
void dl_progress_free(dl_progress *p);

/* Find or add an entry. NULL on OOM. */
dl_progress_item *dl_progress_lesson(dl_progress *p, const char *id);
dl_progress_item *dl_progress_challenge(dl_progress *p, const char *id);
int dl_progress_set_current(dl_progress *p, const char *id);

#endif
