/* uvreactor.c - the real-time reactor: one uv timer per pending call. */
#include "loop/uvreactor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

typedef struct pending pending;

typedef struct dl_uv_reactor {
    dl_reactor base;
    uv_loop_t loop;
    uint64_t start_ns;
    pending *first; /* pending calls, in no particular order */
    int failed;     /* a call raised: stop running */
} dl_uv_reactor;

struct pending {
    uv_timer_t timer;
    dl_delayed_call *c; /* the reactor's reference */
    dl_uv_reactor *r;
    pending *prev, *next;
};

static double seconds_op(dl_reactor *self)
{
    dl_uv_reactor *r = (dl_uv_reactor *)self;
    return (double)(uv_hrtime() - r->start_ns) / 1e9;
}

static void unlink_node(pending *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        p->r->first = p->next;
    if (p->next) p->next->prev = p->prev;
    p->prev = p->next = NULL;
}

static void free_node(uv_handle_t *h)
{
    free(h->data);
}

static void discard_node(pending *p)
{
    uv_timer_stop(&p->timer);
    unlink_node(p);
    uv_close((uv_handle_t *)&p->timer, free_node);
}

/* Milliseconds until c is due (0 when it is already due). */
static uint64_t due_in_ms(dl_uv_reactor *r, dl_delayed_call *c)
{
    double left = dl_delayed_call_get_time(c) - seconds_op(&r->base);
    return left > 0 ? (uint64_t)ceil(left * 1000.0) : 0;
}

static void on_due(uv_timer_t *t)
{
    pending *p = t->data;
    dl_uv_reactor *r = p->r;
    dl_delayed_call *c = p->c;
    /* libuv's clock is whole milliseconds: a timer can fire up to 1 ms
     * before the call's exact time. Never run a call early. */
    uint64_t left = due_in_ms(r, c);
    if (left > 0) {
        uv_timer_start(&p->timer, on_due, left, 0);
        return;
    }
    discard_node(p);
    dl_obj_retain(r);                   /* the call may drop the last other reference */
    if (dl__delayed_call_run(c) != 0) { /* consumes the reactor's reference */
        r->failed = 1;
        uv_stop(&r->loop);
    }
    dl_obj_release(r);
}

static pending *find(dl_uv_reactor *r, dl_delayed_call *c)
{
    for (pending *p = r->first; p; p = p->next)
        if (p->c == c) return p;
    return NULL;
}

static int insert_op(dl_reactor *self, dl_delayed_call *c)
{
    dl_uv_reactor *r = (dl_uv_reactor *)self;
    pending *p = calloc(1, sizeof *p);
    if (!p) return dl__raisef(self->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
    uv_timer_init(&r->loop, &p->timer);
    p->timer.data = p;
    p->c = c;
    p->r = r;
    p->next = r->first;
    if (r->first) r->first->prev = p;
    r->first = p;
    uv_update_time(&r->loop); /* timers count from the loop's cached time */
    uv_timer_start(&p->timer, on_due, due_in_ms(r, c), 0);
    return 0;
}

static void remove_op(dl_reactor *self, dl_delayed_call *c)
{
    pending *p = find((dl_uv_reactor *)self, c);
    if (!p) return;
    discard_node(p);
    dl_obj_release(c);
}

static void moved_op(dl_reactor *self, dl_delayed_call *c)
{
    dl_uv_reactor *r = (dl_uv_reactor *)self;
    pending *p = find(r, c);
    if (!p) return;
    uv_update_time(&r->loop);
    uv_timer_start(&p->timer, on_due, due_in_ms(r, c), 0);
}

static void drop_all_op(dl_reactor *self)
{
    dl_uv_reactor *r = (dl_uv_reactor *)self;
    while (r->first) {
        pending *p = r->first;
        dl_delayed_call *c = p->c;
        discard_node(p);
        dl__delayed_call_drop(c);
    }
}

static const dl_reactor_ops uv_ops = {seconds_op, insert_op, remove_op, moved_op, drop_all_op};

static void destroy(dl_obj *o)
{
    dl_uv_reactor *r = (dl_uv_reactor *)o;
    dl_engine *eng = r->base.eng;
    if (eng->now_ud == r) { /* events must not ask a dead reactor the time */
        eng->now = NULL;
        eng->now_ud = NULL;
    }
    drop_all_op(&r->base);
    dl__reactor_fini(&r->base);
    uv_run(&r->loop, UV_RUN_NOWAIT); /* complete the timers' closes */
    uv_loop_close(&r->loop);
    free(r);
}

static int repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_uv_reactor *r = (const dl_uv_reactor *)o;
    size_t k = 0;
    for (const pending *p = r->first; p; p = p->next)
        k++;
    return snprintf(buf, n, "<reactor (real time) #%u, %zu pending>", (unsigned)o->id, k);
}

static const dl_class uv_reactor_class = {"RealtimeReactor", destroy, repr};

dl_reactor *dl_uv_reactor_new(dl_engine *eng)
{
    dl_uv_reactor *r = calloc(1, sizeof *r);
    if (!r || uv_loop_init(&r->loop) != 0) {
        free(r);
        dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "cannot start the real-time reactor");
        return NULL;
    }
    r->start_ns = uv_hrtime();
    dl__reactor_init(&r->base, &uv_reactor_class, &uv_ops, eng);
    return &r->base;
}

bool dl_is_uv_reactor(const dl_reactor *r)
{
    return r && r->hdr.cls == &uv_reactor_class;
}

int dl_uv_reactor_run(dl_reactor *self)
{
    dl_uv_reactor *r = (dl_uv_reactor *)self;
    r->failed = 0;
    while (r->first && !r->failed)
        uv_run(&r->loop, UV_RUN_ONCE);
    uv_run(&r->loop, UV_RUN_NOWAIT);
    return r->failed ? DL_ERAISED : 0;
}
