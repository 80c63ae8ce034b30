/* loop.c - libuv plumbing for the workbench. */
#include "loop/loop.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <uv.h>

struct dl_loop {
    uv_loop_t uv;
    uv_poll_t input;
    uv_signal_t winch, sigint, sigterm, sighup;
    uv_check_t after;
    uv_timer_t timer;
    void (*timer_cb)(void *ud);
    void *timer_ud;
    dl_loop_handlers h;
    int fd;
    int input_on;
};

void dl_loop_term_size(int fd, int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    } else {
        *rows = *cols = 0;
    }
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    dl_loop *l = p->data;
    (void)events;
    if (status < 0 || !l->h.on_input) return;
    l->h.on_input(l->h.ud);
}

static void on_winch(uv_signal_t *s, int signum)
{
    dl_loop *l = s->data;
    (void)signum;
    int rows, cols;
    /* Ask the output tty: stdin may be a pipe in tests. */
    dl_loop_term_size(STDOUT_FILENO, &rows, &cols);
    if (!rows) dl_loop_term_size(l->fd, &rows, &cols);
    if (l->h.on_resize) l->h.on_resize(l->h.ud, rows, cols);
}

static void on_term_signal(uv_signal_t *s, int signum)
{
    dl_loop *l = s->data;
    if (l->h.on_signal) l->h.on_signal(l->h.ud, signum);
}

static void on_after(uv_check_t *c)
{
    dl_loop *l = c->data;
    if (l->h.after) l->h.after(l->h.ud);
}

static void on_timer(uv_timer_t *t)
{
    dl_loop *l = t->data;
    if (l->timer_cb) l->timer_cb(l->timer_ud);
}

static void start_signal(dl_loop *l, uv_signal_t *s, uv_signal_cb cb, int signum)
{
    uv_signal_init(&l->uv, s);
    s->data = l;
    uv_signal_start(s, cb, signum);
}

dl_loop *dl_loop_new(const dl_loop_handlers *h, int input_fd)
{
    dl_loop *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    if (uv_loop_init(&l->uv) != 0) {
        free(l);
        return NULL;
    }
    l->h = *h;
    l->fd = input_fd;
    if (uv_poll_init(&l->uv, &l->input, input_fd) != 0) {
        uv_loop_close(&l->uv);
        free(l);
        return NULL;
    }
    l->input.data = l;
    dl_loop_input(l, 1);
    start_signal(l, &l->winch, on_winch, SIGWINCH);
    start_signal(l, &l->sigint, on_term_signal, SIGINT);
    start_signal(l, &l->sigterm, on_term_signal, SIGTERM);
    start_signal(l, &l->sighup, on_term_signal, SIGHUP);
    uv_check_init(&l->uv, &l->after);
    l->after.data = l;
    uv_check_start(&l->after, on_after);
    uv_timer_init(&l->uv, &l->timer);
    l->timer.data = l;
    return l;
}

int dl_loop_run(dl_loop *l)
{
    /* Paint once before waiting for the first key. */
    if (l->h.after) l->h.after(l->h.ud);
    uv_run(&l->uv, UV_RUN_DEFAULT);
    return 0;
}

void dl_loop_stop(dl_loop *l)
{
    uv_stop(&l->uv);
}

void dl_loop_input(dl_loop *l, int on)
{
    if (on && !l->input_on) uv_poll_start(&l->input, UV_READABLE, on_poll);
    if (!on && l->input_on) uv_poll_stop(&l->input);
    l->input_on = on;
}

void dl_loop_timer_start(dl_loop *l, uint64_t ms, void (*cb)(void *ud), void *ud)
{
    l->timer_cb = cb;
    l->timer_ud = ud;
    uv_timer_start(&l->timer, on_timer, ms, ms);
}

void dl_loop_timer_stop(dl_loop *l)
{
    uv_timer_stop(&l->timer);
}

int dl_loop_timer_active(const dl_loop *l)
{
    return uv_is_active((const uv_handle_t *)&l->timer);
}

static void close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, NULL);
}

void dl_loop_free(dl_loop *l)
{
    if (!l) return;
    uv_walk(&l->uv, close_walk, NULL);
    uv_run(&l->uv, UV_RUN_DEFAULT); /* let the closes complete */
    uv_loop_close(&l->uv);
    free(l);
}

struct uv_loop_s *dl__loop_uv(dl_loop *l)
{
    return &l->uv;
}
