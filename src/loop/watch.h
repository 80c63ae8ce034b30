/* watch.h - notice when a file is saved, and notice when noticing fails.
 *
 * The workbench re-checks a challenge every time the learner saves it. A
 * watcher listens to file-system events on the file's FOLDER (an editor that
 * saves by writing a temporary file and renaming it over the original
 * replaces the inode, which a watch on the file itself would lose), keeps
 * the events that name the file, and reports one change per burst of events
 * after a quiet period (the debounce, 200 ms).
 *
 * Events can silently stop coming (network and container file systems,
 * inotify limits: rustlings#2407). So the watcher checks itself: every
 * second it stats the file, and when the file has changed (mtime, size or
 * inode) without an event for it by the next tick, it reports the change,
 * switches to polling (uv_fs_poll) for good and says so through on_mode, so
 * the UI can show it in the status line.
 *
 * All callbacks run on the loop (dl_loop_run). Free the watcher before the
 * loop (dl_loop_free completes the handles' closing).
 */
#ifndef DL_WATCH_H
#define DL_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "loop/loop.h"

typedef enum {
    DL_WATCH_EVENTS = 0, /* file-system events */
    DL_WATCH_POLLING     /* periodic stat (after events failed) */
} dl_watch_mode;

typedef struct dl_watch_handlers {
    /* The file changed: once per burst of saves, after the debounce. */
    void (*on_change)(void *ud);
    /* The watcher switched mode; why is a sentence for the status line. */
    void (*on_mode)(void *ud, dl_watch_mode mode, const char *why);
    void *ud;
} dl_watch_handlers;

typedef struct dl_watch_opts {
    unsigned debounce_ms; /* quiet time before reporting (0: 200) */
    unsigned verify_ms;   /* self-check period (0: 1000) */
    unsigned poll_ms;     /* polling interval after the fallback (0: 500) */
} dl_watch_opts;

typedef struct dl_watch dl_watch;

/* Watch path on loop. opts may be NULL. Returns NULL with the reason in err
 * when the folder cannot be watched at all (then neither callback is ever
 * called). A folder whose events cannot be set up starts in polling mode
 * (on_mode is called from the loop, not from here). */
dl_watch *dl_watch_new(dl_loop *loop, const char *path, const dl_watch_handlers *h,
                       const dl_watch_opts *opts, char *err, size_t errlen);
dl_watch_mode dl_watch_get_mode(const dl_watch *w);
/* Stop watching; memory is released when the loop completes the closes
 * (at its next turn or in dl_loop_free). NULL is fine. */
void dl_watch_free(dl_watch *w);

/* Test hook: while on, file-system events are dropped as if the OS had
 * never sent them, so the self-check must notice and fall back. */
void dl__watch_drop_events(dl_watch *w, bool on);

#endif
