/* clock.c - the reactor interface, DelayedCall, and the virtual Clock.
 *
 * The Clock mirrors twisted.internet.task.Clock line by line: calls live in a
 * list that is stably sorted by getTime() after every insertion and before
 * and after every call it runs, and reset()/delay() do not re-sort at once.
 * That is why equal times run FIFO, and why a call moved by reset() keeps its
 * list position among calls due at the same time, exactly as in Twisted.
 */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>

/* ===================================================================== */
/* Reactor classes                                                       */
/* ===================================================================== */

/* dl_reactor_of must recognise any implementation's class; there are only
 * ever a couple (Clock, the libuv reactor), registered on first use. */
#define MAX_REACTOR_CLASSES 8
static const dl_class *reactor_classes[MAX_REACTOR_CLASSES];

static bool is_reactor_class(const dl_class *cls)
{
    for (int i = 0; i < MAX_REACTOR_CLASSES && reactor_classes[i]; i++)
        if (reactor_classes[i] == cls) return true;
    return false;
}

/* Registered with the engine so pending calls (which may hold Deferreds)
 * are dropped before the engine tears its Deferreds down. */
static void close_at_engine_free(void *r)
{
    dl_reactor_close(r);
}

void dl__reactor_fini(dl_reactor *r)
{
    dl__engine_off_free(r->eng, close_at_engine_free, r);
}

void dl__reactor_init(dl_reactor *r, const dl_class *cls, const dl_reactor_ops *ops, dl_engine *eng)
{
    /* Without the hook (out of memory) the older rule still holds: close
     * reactors before freeing the engine. */
    (void)dl__engine_on_free(eng, close_at_engine_free, r);
    dl_obj_init(&r->hdr, cls);
    r->hdr.id = dl_engine_next_obj_id(eng);
    r->ops = ops;
    r->eng = eng;
    for (int i = 0; i < MAX_REACTOR_CLASSES; i++) {
        if (reactor_classes[i] == cls) break;
        if (!reactor_classes[i]) {
            reactor_classes[i] = cls;
            break;
        }
    }
}

double dl_reactor_seconds(dl_reactor *r)
{
    return r->ops->seconds(r);
}

void dl_reactor_close(dl_reactor *r)
{
    r->ops->drop_all(r);
}

dl_reactor *dl_reactor_of(dl_value v)
{
    if (v.kind != DL_OBJ || !is_reactor_class(v.u.o->cls)) return NULL;
    return (dl_reactor *)v.u.o;
}

dl_value dl_reactor_value(dl_reactor *r)
{
    dl_obj_retain(r);
    return dl_obj_value(DL_OBJ, r);
}

/* ===================================================================== */
/* DelayedCall                                                           */
/* ===================================================================== */

static void call_clear(dl_delayed_call *c)
{
    dl_fn fn = c->fn;
    dl_value arg = c->arg;
    c->fn = dl_passthru();
    c->arg = dl_none();
    dl_fn_release(fn);
    dl_release(arg);
}

static void call_destroy(dl_obj *o)
{
    dl_delayed_call *c = (dl_delayed_call *)o;
    call_clear(c);
    free(c);
}

static int call_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_delayed_call *c = (const dl_delayed_call *)o;
    const char *state = c->cancelled ? " cancelled" : c->called ? " called" : "";
    return snprintf(buf, n, "<DelayedCall #%u at %g%s>", (unsigned)c->hdr.id,
                    dl_delayed_call_get_time(c), state);
}

static const dl_class call_class = {"DelayedCall", call_destroy, call_repr};

static void emit_call_event(dl_engine *eng, dl_event_kind kind, uint32_t reactor_id,
                            const dl_delayed_call *c, double num, const char *name)
{
    if (!dl_engine_wants(eng, kind)) return;
    dl_event ev = {.kind = kind, .d = reactor_id, .other = c->hdr.id, .num = num, .name = name};
    dl_engine_emit(eng, &ev);
}

dl_delayed_call *dl_reactor_call_later(dl_reactor *r, double delay, dl_fn fn, dl_value arg)
{
    dl_delayed_call *c = calloc(1, sizeof *c);
    if (!c) {
        dl_fn_release(fn);
        dl__raisef(r->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
        return NULL;
    }
    dl_obj_init(&c->hdr, &call_class);
    c->hdr.id = dl_engine_next_obj_id(r->eng);
    c->time = dl_reactor_seconds(r) + delay;
    c->fn = fn;
    c->arg = dl_retain(arg);
    c->reactor = r;
    c->eng = r->eng;
    dl_obj_retain(c); /* the reactor's reference */
    if (r->ops->insert(r, c) != 0) {
        c->reactor = NULL;
        c->cancelled = 1;
        dl_obj_release(c);
        dl_obj_release(c);
        return NULL;
    }
    emit_call_event(r->eng, DL_EV_CALL_SCHEDULED, r->hdr.id, c, c->time, dl_fn_name(c->fn));
    return c;
}

int dl__delayed_call_run(dl_delayed_call *c)
{
    dl_reactor *r = c->reactor;
    dl_engine *eng = r->eng;
    c->called = 1;
    c->reactor = NULL;
    emit_call_event(eng, DL_EV_CALL_RAN, r->hdr.id, c, dl_delayed_call_get_time(c),
                    dl_fn_name(c->fn));
    dl_value out = dl_none();
    int rc = dl_fn_call(c->fn, c->arg, &out);
    call_clear(c);
    dl_obj_release(c); /* the reactor's reference */
    if (rc != 0 || dl_is_failure(out)) {
        if (!dl_is_failure(out)) {
            dl_release(out);
            out = dl_fail_value(&dl_type_RuntimeError, "delayed call failed: %s", dl_strerror(rc));
        }
        return dl__raise(eng, DL_ERAISED, out);
    }
    dl_release(out);
    return 0;
}

void dl__delayed_call_drop(dl_delayed_call *c)
{
    c->cancelled = 1;
    c->reactor = NULL;
    call_clear(c);
    dl_obj_release(c);
}

double dl_delayed_call_get_time(const dl_delayed_call *c)
{
    return c->time + c->delayed_time;
}

bool dl_delayed_call_active(const dl_delayed_call *c)
{
    return !(c->cancelled || c->called);
}

/* Raise an exception whose args are () but whose str is Twisted's. */
static int raise_empty_args(dl_engine *eng, int code, dl_errtype *type, const char *message)
{
    dl_exception *e = dl_exception_new(type, message, dl_list_new(0));
    dl_failure *f = e ? dl_failure_new(e, NULL) : NULL;
    dl_obj_release(e);
    return dl__raise(eng, code, f ? dl_obj_value(DL_FAILURE, f) : dl_none());
}

/* The AlreadyCancelled / AlreadyCalled check shared by cancel/reset/delay
 * (twisted.internet.error; their str is the class docstring). */
static int check_active(const dl_delayed_call *c)
{
    if (c->cancelled)
        return raise_empty_args(c->eng, DL_EDCCANCELLED, &dl_type_AlreadyCancelled,
                                "Tried to cancel an already-cancelled event.");
    if (c->called)
        return raise_empty_args(c->eng, DL_EDCCALLED, &dl_type_AlreadyCalled,
                                "Tried to cancel an already-called event.");
    return 0;
}

int dl_delayed_call_cancel(dl_delayed_call *c)
{
    int rc = check_active(c);
    if (rc) return rc;
    dl_reactor *r = c->reactor;
    dl_obj_retain(c);
    c->cancelled = 1;
    c->reactor = NULL;
    r->ops->remove(r, c);
    emit_call_event(r->eng, DL_EV_CALL_CANCELLED, r->hdr.id, c, dl_delayed_call_get_time(c), NULL);
    call_clear(c);
    dl_obj_release(c);
    return 0;
}

int dl_delayed_call_reset(dl_delayed_call *c, double seconds_from_now)
{
    int rc = check_active(c);
    if (rc) return rc;
    dl_reactor *r = c->reactor;
    double new_time = dl_reactor_seconds(r) + seconds_from_now;
    if (new_time < c->time) {
        c->delayed_time = 0;
        c->time = new_time;
        r->ops->moved(r, c);
    } else {
        c->delayed_time = new_time - c->time;
    }
    emit_call_event(r->eng, DL_EV_CALL_MOVED, r->hdr.id, c, dl_delayed_call_get_time(c), NULL);
    return 0;
}

int dl_delayed_call_delay(dl_delayed_call *c, double seconds_later)
{
    int rc = check_active(c);
    if (rc) return rc;
    dl_reactor *r = c->reactor;
    c->delayed_time += seconds_later;
    if (c->delayed_time < 0) {
        c->time += c->delayed_time;
        c->delayed_time = 0;
        r->ops->moved(r, c);
    }
    emit_call_event(r->eng, DL_EV_CALL_MOVED, r->hdr.id, c, dl_delayed_call_get_time(c), NULL);
    return 0;
}

const char *dl_delayed_call_name(const dl_delayed_call *c)
{
    return dl_fn_name(c->fn);
}

dl_delayed_call *dl_delayed_call_of(dl_value v)
{
    if (v.kind != DL_OBJ || v.u.o->cls != &call_class) return NULL;
    return (dl_delayed_call *)v.u.o;
}

dl_value dl_delayed_call_value(dl_delayed_call *c)
{
    dl_obj_retain(c);
    return dl_obj_value(DL_OBJ, c);
}

/* ===================================================================== */
/* The virtual Clock                                                     */
/* ===================================================================== */

struct dl_clock {
    dl_reactor base;
    double now;              /* rightNow */
    dl_delayed_call **calls; /* Clock.calls; one reference each */
    size_t n, cap;
    uint64_t next_seq;
};

static double clock_seconds_op(dl_reactor *self)
{
    return ((dl_clock *)self)->now;
}

/* Clock._sortCalls: a stable sort by getTime(). Insertion sort is stable
 * and the list is nearly sorted every time we get here. */
static void sort_calls(dl_clock *c)
{
    for (size_t i = 1; i < c->n; i++) {
        dl_delayed_call *x = c->calls[i];
        double t = dl_delayed_call_get_time(x);
        size_t j = i;
        while (j > 0 && dl_delayed_call_get_time(c->calls[j - 1]) > t) {
            c->calls[j] = c->calls[j - 1];
            j--;
        }
        c->calls[j] = x;
    }
}

static int clock_insert(dl_reactor *self, dl_delayed_call *call)
{
    dl_clock *c = (dl_clock *)self;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        dl_delayed_call **n = realloc(c->calls, cap * sizeof *n);
        if (!n) return dl__raisef(self->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
        c->calls = n;
        c->cap = cap;
    }
    call->seq = c->next_seq++;
    c->calls[c->n++] = call;
    sort_calls(c);
    return 0;
}

/* Take call out of the list, keeping the order of the others. */
static bool unlink_call(dl_clock *c, dl_delayed_call *call)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->calls[i] != call) continue;
        for (size_t j = i + 1; j < c->n; j++)
            c->calls[j - 1] = c->calls[j];
        c->n--;
        return true;
    }
    return false;
}

static void clock_remove(dl_reactor *self, dl_delayed_call *call)
{
    if (unlink_call((dl_clock *)self, call)) dl_obj_release(call);
}

static void clock_moved(dl_reactor *self, dl_delayed_call *call)
{
    /* Twisted's Clock passes `lambda c: None` as the resetter: the list is
     * re-sorted on the next callLater or advance, not now. */
    (void)self;
    (void)call;
}

static void clock_drop_all(dl_reactor *self)
{
    dl_clock *c = (dl_clock *)self;
    /* Dropping releases functions, which may run arbitrary destructors:
     * detach the whole list first so nothing sees it half-dropped. */
    while (c->n) {
        dl_delayed_call *call = c->calls[--c->n];
        dl__delayed_call_drop(call);
    }
}

static const dl_reactor_ops clock_ops = {clock_seconds_op, clock_insert, clock_remove, clock_moved,
                                         clock_drop_all};

static void clock_destroy(dl_obj *o)
{
    dl_clock *c = (dl_clock *)o;
    dl_engine *eng = c->base.eng;
    if (eng->now == dl_clock_now && eng->now_ud == c) {
        eng->now = NULL;
        eng->now_ud = NULL;
    }
    clock_drop_all(&c->base);
    dl__reactor_fini(&c->base);
    free(c->calls);
    free(c);
}

static int clock_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_clock *c = (const dl_clock *)o;
    return snprintf(buf, n, "<Clock #%u at %g, %zu pending>", (unsigned)c->base.hdr.id, c->now,
                    c->n);
}

static const dl_class clock_class = {"Clock", clock_destroy, clock_repr};

dl_clock *dl_clock_new(dl_engine *eng)
{
    dl_clock *c = calloc(1, sizeof *c);
    if (!c) {
        dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
        return NULL;
    }
    dl__reactor_init(&c->base, &clock_class, &clock_ops, eng);
    return c;
}

dl_clock *dl_clock_of(dl_value v)
{
    if (v.kind != DL_OBJ || v.u.o->cls != &clock_class) return NULL;
    return (dl_clock *)v.u.o;
}

double dl_clock_seconds(const dl_clock *c)
{
    return c->now;
}

double dl_clock_now(void *clock)
{
    return ((dl_clock *)clock)->now;
}

int dl_clock_advance(dl_clock *c, double amount)
{
    dl_engine *eng = c->base.eng;
    c->now += amount;
    if (dl_engine_wants(eng, DL_EV_CLOCK_ADVANCE)) {
        dl_event ev = {.kind = DL_EV_CLOCK_ADVANCE, .d = c->base.hdr.id, .num = c->now};
        dl_engine_emit(eng, &ev);
    }
    dl_obj_retain(c); /* a call may drop the caller's last reference */
    int rc = 0;
    sort_calls(c);
    while (c->n && dl_delayed_call_get_time(c->calls[0]) <= c->now) {
        dl_delayed_call *call = c->calls[0];
        unlink_call(c, call);
        rc = dl__delayed_call_run(call); /* consumes the list's reference */
        if (rc) break;
        sort_calls(c);
    }
    dl_obj_release(c);
    return rc;
}

int dl_clock_pump(dl_clock *c, const double *amounts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = dl_clock_advance(c, amounts[i]);
        if (rc) return rc;
    }
    return 0;
}

dl_delayed_call *const *dl_clock_calls(const dl_clock *c, size_t *n)
{
    *n = c->n;
    return c->calls;
}
