/* loop.h - the event loop (libuv lives here and nowhere else).
 *
 * The workbench is one libuv loop: stdin readiness (a poll handle on fd 0),
 * SIGWINCH, termination signals, timers (autoplay) and, once per loop turn,
 * an "after" hook where the UI paints if something changed. Handlers never
 * paint; they record what changed (see docs/style.md, tig and htop).
 *
 * SIGWINCH must be registered before curses starts, or curses installs its
 * own handler: create the loop first, then start curses.
 */
#ifndef DL_LOOP_H
#define DL_LOOP_H

#include <stdint.h>

typedef struct dl_loop dl_loop;

typedef struct dl_loop_handlers {
    void (*on_input)(void *ud);                      /* fd 0 is readable: drain it */
    void (*on_resize)(void *ud, int rows, int cols); /* SIGWINCH, with the new size */
    void (*on_signal)(void *ud, int signum);         /* SIGINT, SIGTERM, SIGHUP */
    void (*after)(void *ud);                         /* end of every loop turn: paint here */
    void *ud;
} dl_loop_handlers;

/* New loop; input_fd is usually 0. NULL when libuv cannot be set up. */
dl_loop *dl_loop_new(const dl_loop_handlers *h, int input_fd);
/* Run until dl_loop_stop. Returns 0. */
int dl_loop_run(dl_loop *l);
void dl_loop_stop(dl_loop *l);
/* Pause / resume watching input (while an editor owns the terminal). */
void dl_loop_input(dl_loop *l, int on);
void dl_loop_free(dl_loop *l);

/* One timer per loop for autoplay and animations: fires every ms
 * milliseconds (first after ms) until stopped. Restarting replaces it. */
void dl_loop_timer_start(dl_loop *l, uint64_t ms, void (*cb)(void *ud), void *ud);
void dl_loop_timer_stop(dl_loop *l);
int dl_loop_timer_active(const dl_loop *l);

/* Terminal size from the tty behind fd (0 rows/cols if unknown). */
void dl_loop_term_size(int fd, int *rows, int *cols);

/* For the other files of src/loop (watch.c): the loop's uv_loop_t. */
struct uv_loop_s *dl__loop_uv(dl_loop *l);

#endif
