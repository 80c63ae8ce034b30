/* task.c - deferLater and LoopingCall, as twisted.internet.task has them.
 *
 * Both are written against the reactor interface only. The closures below
 * stand for Twisted's lambdas and bound methods; each holds a reference to
 * what the Python closure captures.
 */
#include "task.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

/* ===================================================================== */
/* deferLater                                                            */
/* ===================================================================== */

/* What the canceller needs: the DelayedCall, known only after callLater. */
typedef struct later_holder {
    dl_delayed_call *call; /* reference, or NULL */
} later_holder;

static int later_cancel_call(void *ud, dl_value d, dl_value *out)
{
    (void)d;
    later_holder *h = ud;
    if (h->call && dl_delayed_call_cancel(h->call) != 0) {
        *out = dl_engine_take_raised(h->call->eng);
        return DL_ERAISED;
    }
    *out = dl_none();
    return 0;
}

static void later_holder_release(void *ud)
{
    later_holder *h = ud;
    dl_obj_release(h->call);
    free(h);
}

static const dl_fn_class later_cancel_class = {later_cancel_call, later_holder_release, NULL,
                                               "deferLaterCancel"};

/* cb(result): callable(*args), or None without a callable. */
typedef struct later_cb {
    dl_fn fn;
    dl_value arg;
} later_cb;

static int later_cb_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    later_cb *c = ud;
    if (!c->fn.cls) {
        *out = dl_none();
        return 0;
    }
    return dl_fn_call(c->fn, c->arg, out);
}

static void later_cb_release(void *ud)
{
    later_cb *c = ud;
    dl_fn_release(c->fn);
    dl_release(c->arg);
    free(c);
}

static const char *later_cb_name(void *ud)
{
    later_cb *c = ud;
    return c->fn.cls ? dl_fn_name(c->fn) : "cb";
}

static const dl_fn_class later_cb_class = {later_cb_call, later_cb_release, later_cb_name, "cb"};

/* d.callback as a delayed-call function: fires d with arg. */
static int fire_call(void *ud, dl_value arg, dl_value *out)
{
    dl_deferred *d = ud;
    if (dl_deferred_callback(d, arg) != 0) {
        *out = dl_engine_take_raised(d->eng);
        return DL_ERAISED;
    }
    *out = dl_none();
    return 0;
}

static void fire_release(void *ud)
{
    dl_deferred_release(ud);
}

static const char *fire_name(void *ud)
{
    static char name[140];
    char who[128];
    dl_deferred_name(ud, who, sizeof who);
    snprintf(name, sizeof name, "%s.callback", who);
    return name;
}

static const dl_fn_class fire_class = {fire_call, fire_release, fire_name, "callback"};

dl_deferred *dl_defer_later(dl_reactor *r, double delay, dl_fn fn, dl_value arg)
{
    dl_engine *eng = r->eng;
    later_holder *h = calloc(1, sizeof *h);
    later_cb *c = malloc(sizeof *c);
    if (!h || !c) {
        free(h);
        free(c);
        dl_fn_release(fn);
        oom(eng);
        return NULL;
    }
    c->fn = fn;
    c->arg = dl_retain(arg);
    dl_deferred *d = dl_deferred_new(eng, dl_fn_make(&later_cancel_class, h));
    if (!d) {
        later_cb_release(c);
        oom(eng);
        return NULL;
    }
    if (dl_deferred_add_callback(d, dl_fn_make(&later_cb_class, c)) != 0) goto fail;
    h->call =
        dl_reactor_call_later(r, delay, dl_fn_make(&fire_class, dl_deferred_retain(d)), dl_none());
    if (!h->call) goto fail;
    return d;
fail:
    dl_deferred_release(d);
    return NULL;
}

/* ===================================================================== */
/* LoopingCall                                                           */
/* ===================================================================== */

struct dl_looping_call {
    dl_obj hdr;
    dl_engine *eng;
    dl_fn f;
    dl_value arg;
    bool with_count;
    dl_reactor *clock;     /* reference, or NULL */
    dl_delayed_call *call; /* reference, or NULL */
    dl_deferred *deferred; /* _deferred: reference, or NULL */
    bool running;
    bool run_at_start;
    bool has_real_last;
    double interval;
    double starttime;
    double real_last_time;
};

static void lc_destroy(dl_obj *o)
{
    dl_looping_call *lc = (dl_looping_call *)o;
    dl_fn_release(lc->f);
    dl_release(lc->arg);
    dl_obj_release(lc->call);
    if (lc->deferred) dl_deferred_release(lc->deferred);
    dl_obj_release(lc->clock);
    free(lc);
}

static int lc_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_looping_call *lc = (const dl_looping_call *)o;
    return snprintf(buf, n, "LoopingCall<%g>(%s)", lc->interval, dl_fn_name(lc->f));
}

static const dl_class lc_class = {"LoopingCall", lc_destroy, lc_repr};

static dl_looping_call *lc_new(dl_engine *eng, dl_fn fn, dl_value arg, bool with_count)
{
    dl_looping_call *lc = calloc(1, sizeof *lc);
    if (!lc) {
        dl_fn_release(fn);
        oom(eng);
        return NULL;
    }
    dl_obj_init(&lc->hdr, &lc_class);
    lc->hdr.id = dl_engine_next_obj_id(eng);
    lc->eng = eng;
    lc->f = fn;
    lc->arg = dl_retain(arg);
    lc->with_count = with_count;
    return lc;
}

dl_looping_call *dl_looping_call_new(dl_engine *eng, dl_fn fn, dl_value arg)
{
    return lc_new(eng, fn, arg, false);
}

dl_looping_call *dl_looping_call_with_count(dl_engine *eng, dl_fn fn)
{
    return lc_new(eng, fn, dl_none(), true);
}

void dl_looping_call_set_clock(dl_looping_call *lc, dl_reactor *r)
{
    dl_obj_retain(r);
    dl_obj_release(lc->clock);
    lc->clock = r;
}

dl_reactor *dl_looping_call_clock(const dl_looping_call *lc)
{
    return lc->clock;
}

/* A closure that holds a reference to the LoopingCall. */
static void lc_ref_release(void *ud)
{
    dl_obj_release(ud);
}

static const char *lc_fn_name(void *ud)
{
    return dl_fn_name(((dl_looping_call *)ud)->f);
}

static dl_value lc_value(dl_looping_call *lc)
{
    return dl_obj_value(DL_OBJ, lc); /* borrowed use only */
}

/* _intervalOf(t): whole intervals since starttime (int() truncates). */
static int64_t interval_of(const dl_looping_call *lc, double t)
{
    return (int64_t)((t - lc->starttime) / lc->interval);
}

/* The function maybeDeferred calls: f(arg), or withCount's counter(). */
static int lc_invoke_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    dl_looping_call *lc = ud;
    if (!lc->with_count) return dl_fn_call(lc->f, lc->arg, out);
    double now = dl_reactor_seconds(lc->clock);
    if (lc->interval == 0) {
        lc->real_last_time = now;
        lc->has_real_last = true;
        return dl_fn_call(lc->f, dl_int(1), out);
    }
    double last = lc->real_last_time;
    if (!lc->has_real_last) {
        last = lc->starttime;
        if (lc->run_at_start) last -= lc->interval;
    }
    int64_t count = interval_of(lc, now) - interval_of(lc, last);
    if (count > 0) {
        lc->real_last_time = now;
        lc->has_real_last = true;
        return dl_fn_call(lc->f, dl_int(count), out);
    }
    *out = dl_none();
    return 0;
}

static const dl_fn_class lc_invoke_class = {lc_invoke_call, lc_ref_release, lc_fn_name, "f"};

static int schedule_from(dl_looping_call *lc, double when);

/* cb(result): schedule the next call, or fire start()'s Deferred. */
static int lc_cb_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    dl_looping_call *lc = ud;
    int rc = 0;
    if (lc->running) {
        rc = schedule_from(lc, dl_reactor_seconds(lc->clock));
    } else {
        dl_deferred *d = lc->deferred;
        lc->deferred = NULL;
        rc = dl_deferred_callback(d, lc_value(lc));
        dl_deferred_release(d);
    }
    if (rc) {
        *out = dl_engine_take_raised(lc->eng);
        return DL_ERAISED;
    }
    *out = dl_none();
    return 0;
}

/* eb(failure): stop and errback start()'s Deferred. */
static int lc_eb_call(void *ud, dl_value failure, dl_value *out)
{
    dl_looping_call *lc = ud;
    lc->running = false;
    dl_deferred *d = lc->deferred;
    lc->deferred = NULL;
    int rc = dl_deferred_errback(d, failure);
    dl_deferred_release(d);
    if (rc) {
        *out = dl_engine_take_raised(lc->eng);
        return DL_ERAISED;
    }
    *out = dl_none();
    return 0;
}

static const dl_fn_class lc_cb_class = {lc_cb_call, lc_ref_release, NULL, "cb"};
static const dl_fn_class lc_eb_class = {lc_eb_call, lc_ref_release, NULL, "eb"};

/* __call__: one iteration. */
static int lc_tick(dl_looping_call *lc)
{
    dl_obj_release(lc->call);
    lc->call = NULL;
    dl_obj_retain(lc);
    dl_deferred *d = dl_maybe_deferred(lc->eng, dl_fn_make(&lc_invoke_class, lc), dl_none());
    if (!d) return DL_ENOMEM;
    dl_obj_retain(lc);
    int rc = dl_deferred_add_callback(d, dl_fn_make(&lc_cb_class, lc));
    dl_obj_retain(lc);
    if (rc == 0)
        rc = dl_deferred_add_errback(d, dl_fn_make(&lc_eb_class, lc));
    else
        dl_obj_release(lc);
    dl_deferred_release(d);
    return rc;
}

/* The LoopingCall itself as a delayed-call function. */
static int lc_tick_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    dl_looping_call *lc = ud;
    *out = dl_none();
    if (lc_tick(lc) != 0) {
        *out = dl_engine_take_raised(lc->eng);
        return DL_ERAISED;
    }
    return 0;
}

static const dl_fn_class lc_tick_class = {lc_tick_call, lc_ref_release, lc_fn_name, "LoopingCall"};

/* Python's float % (the result takes the divisor's sign). */
static double py_mod(double a, double b)
{
    double r = fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

/* _scheduleFrom(when): the next call at the next interval boundary counted
 * from starttime; so missed intervals collapse into one call. */
static int schedule_from(dl_looping_call *lc, double when)
{
    double how_long;
    if (lc->interval == 0) {
        how_long = 0;
    } else {
        double running_for = when - lc->starttime;
        double until_next = lc->interval - py_mod(running_for, lc->interval);
        /* A step too small to move `when` means we are on a boundary. */
        how_long = when == when + until_next ? lc->interval : until_next;
    }
    dl_obj_retain(lc);
    dl_delayed_call *c =
        dl_reactor_call_later(lc->clock, how_long, dl_fn_make(&lc_tick_class, lc), dl_none());
    if (!c) return DL_ENOMEM;
    dl_obj_release(lc->call);
    lc->call = c;
    return 0;
}

int dl_looping_call_start(dl_looping_call *lc, double interval, bool now, dl_deferred **out)
{
    *out = NULL;
    if (lc->running)
        return dl__raisef(lc->eng, DL_EASSERTION, &dl_type_AssertionError,
                          "Tried to start an already running LoopingCall.");
    if (interval < 0)
        return dl__raisef(lc->eng, DL_EVALUE, &dl_type_ValueError, "interval must be >= 0");
    if (!lc->clock)
        return dl__raisef(lc->eng, DL_EINVAL, &dl_type_ValueError, "LoopingCall has no clock");
    dl_deferred *d = dl_deferred_new(lc->eng, dl_passthru());
    if (!d) return oom(lc->eng);
    lc->running = true;
    if (lc->deferred) dl_deferred_release(lc->deferred);
    lc->deferred = dl_deferred_retain(d);
    lc->starttime = dl_reactor_seconds(lc->clock);
    lc->interval = interval;
    lc->run_at_start = now;
    dl_obj_retain(lc); /* the iteration may stop us and drop the last reference */
    int rc = now ? lc_tick(lc) : schedule_from(lc, lc->starttime);
    dl_obj_release(lc);
    if (rc) {
        dl_deferred_release(d);
        return rc;
    }
    *out = d;
    return 0;
}

int dl_looping_call_stop(dl_looping_call *lc)
{
    if (!lc->running)
        return dl__raisef(lc->eng, DL_EASSERTION, &dl_type_AssertionError,
                          "Tried to stop a LoopingCall that was not running.");
    lc->running = false;
    if (!lc->call) return 0;
    dl_obj_retain(lc);
    dl_delayed_call *c = lc->call;
    lc->call = NULL;
    int rc = dl_delayed_call_cancel(c);
    dl_obj_release(c);
    if (rc == 0) {
        dl_deferred *d = lc->deferred;
        lc->deferred = NULL;
        rc = dl_deferred_callback(d, lc_value(lc));
        dl_deferred_release(d);
    }
    dl_obj_release(lc);
    return rc;
}

int dl_looping_call_reset(dl_looping_call *lc)
{
    if (!lc->running)
        return dl__raisef(lc->eng, DL_EASSERTION, &dl_type_AssertionError,
                          "Tried to reset a LoopingCall that was not running.");
    if (!lc->call) return 0;
    dl_delayed_call *c = lc->call;
    lc->call = NULL;
    int rc = dl_delayed_call_cancel(c);
    dl_obj_release(c);
    if (rc) return rc;
    lc->starttime = dl_reactor_seconds(lc->clock);
    return schedule_from(lc, lc->starttime);
}

bool dl_looping_call_running(const dl_looping_call *lc)
{
    return lc->running;
}

double dl_looping_call_interval(const dl_looping_call *lc)
{
    return lc->interval;
}

dl_delayed_call *dl_looping_call_pending(const dl_looping_call *lc)
{
    return lc->call;
}

dl_looping_call *dl_looping_call_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &lc_class ? (dl_looping_call *)v.u.o : NULL;
}

dl_value dl_looping_call_value(dl_looping_call *lc)
{
    dl_obj_retain(lc);
    return dl_obj_value(DL_OBJ, lc);
}
