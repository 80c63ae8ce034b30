/* retry.c - RetryingCall and simpleBackoffIterator, on the reactor interface
 * and public Deferred operations only. */
#include "retry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

/* ===================================================================== */
/* Backoff iterators                                                     */
/* ===================================================================== */

int dl_backoff_next(dl_backoff b, double *delay, dl_value *failure)
{
    *failure = dl_none();
    if (!b.cls) return 0;
    return b.cls->next(b.ud, delay, failure);
}

void dl_backoff_release(dl_backoff b)
{
    if (b.cls && b.cls->release) b.cls->release(b.ud);
}

/* The generator's state, resumed one yield at a time. */
typedef struct simple_backoff {
    int64_t remaining;
    double max_delay, delay;
    bool yield_zero;  /* `now`: 0.0 not yet yielded */
    bool pending_inc; /* resumed after a yield inside the loop: increment first */
    bool done;
    dl_fn inc;
} simple_backoff;

static int simple_next(void *ud, double *delay, dl_value *failure)
{
    simple_backoff *s = ud;
    if (s->done) return 0;
    if (s->yield_zero) {
        s->yield_zero = false;
        s->remaining--;
        *delay = 0.0;
        return 1;
    }
    if (s->pending_inc) {
        s->pending_inc = false;
        if (!s->inc.cls) {
            s->delay = 2.0 * s->delay;
        } else {
            dl_value r = dl_none();
            int rc = dl_fn_call(s->inc, dl_num(s->delay), &r);
            if (rc || dl_is_failure(r)) {
                s->done = true;
                *failure = r;
                return DL_ERAISED;
            }
            if (r.kind != DL_INT && r.kind != DL_NUM) {
                dl_release(r);
                s->done = true;
                *failure = dl_fail_value(&dl_type_TypeError, "incFunc must return a number");
                return DL_ERAISED;
            }
            s->delay = r.kind == DL_INT ? (double)r.u.i : r.u.n;
        }
        s->remaining--;
    }
    if (s->remaining <= 0) {
        s->done = true;
        return 0;
    }
    s->pending_inc = true;
    *delay = s->delay < s->max_delay ? s->delay : s->max_delay;
    return 1;
}

static void simple_release(void *ud)
{
    simple_backoff *s = ud;
    dl_fn_release(s->inc);
    free(s);
}

static const dl_backoff_class simple_class = {simple_next, simple_release};

int dl_simple_backoff(dl_engine *eng, int64_t max_results, double max_delay, bool now,
                      double init_delay, dl_fn inc, dl_backoff *out)
{
    *out = dl_backoff_none();
    if (max_results < 1) {
        dl_fn_release(inc);
        return dl__raisef(eng, DL_EASSERTION, &dl_type_AssertionError,
                          "simpleBackoffIterator needs maxResults > 0");
    }
    simple_backoff *s = calloc(1, sizeof *s);
    if (!s) {
        dl_fn_release(inc);
        return oom(eng);
    }
    s->remaining = max_results;
    s->max_delay = max_delay;
    s->delay = init_delay;
    s->yield_zero = now;
    s->inc = inc;
    out->cls = &simple_class;
    out->ud = s;
    return 0;
}

typedef struct list_backoff {
    size_t next, n;
    double delays[];
} list_backoff;

static int list_next(void *ud, double *delay, dl_value *failure)
{
    (void)failure;
    list_backoff *l = ud;
    if (l->next == l->n) return 0;
    *delay = l->delays[l->next++];
    return 1;
}

static const dl_backoff_class list_class = {list_next, free};

int dl_backoff_from_list(dl_engine *eng, const double *delays, size_t n, dl_backoff *out)
{
    *out = dl_backoff_none();
    list_backoff *l = malloc(sizeof *l + n * sizeof *delays);
    if (!l) return oom(eng);
    l->next = 0;
    l->n = n;
    if (n) memcpy(l->delays, delays, n * sizeof *delays);
    out->cls = &list_class;
    out->ud = l;
    return 0;
}

/* ===================================================================== */
/* RetryingCall                                                          */
/* ===================================================================== */

struct dl_retrying_call {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    dl_reactor *reactor; /* reference */
    dl_fn fn;
    dl_value arg;
    dl_backoff backoff;
    dl_fn tester;
    dl_deferred *deferred; /* start()'s Deferred while running: reference */
    dl_deferred *current;  /* the try in flight: reference, or NULL */
    dl_value failure;      /* the first failure, or DL_NONE */
    int64_t attempts;
    double next_delay;
    bool has_next_delay;
    bool running;
};

static const dl_class rc_class;

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void emit_state(dl_retrying_call *rc)
{
    if (!dl_engine_wants(rc->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(4);
    if (snap.kind != DL_LIST) return;
    kv(snap, "attempts", dl_int(rc->attempts));
    kv(snap, "nextDelay", rc->has_next_delay ? dl_num(rc->next_delay) : dl_none());
    kv(snap, "failure", dl_retain(rc->failure));
    kv(snap, "running", dl_bool(rc->running));
    dl_event ev = {.kind = DL_EV_STATE, .d = rc->hdr.id, .text = "RetryingCall", .value = snap};
    dl_engine_emit(rc->eng, &ev);
    dl_release(snap);
}

static void rc_destroy(dl_obj *o)
{
    dl_retrying_call *rc = (dl_retrying_call *)o;
    dl_fn_release(rc->fn);
    dl_release(rc->arg);
    dl_backoff_release(rc->backoff);
    dl_fn_release(rc->tester);
    if (rc->deferred) dl_deferred_release(rc->deferred);
    if (rc->current) dl_deferred_release(rc->current);
    dl_release(rc->failure);
    dl_obj_release(rc->reactor);
    free(rc);
}

static int rc_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_retrying_call *rc = (const dl_retrying_call *)o;
    return snprintf(buf, n, "<RetryingCall #%u %s attempts=%lld>", (unsigned)rc->hdr.id,
                    dl_fn_name(rc->fn), (long long)rc->attempts);
}

static const dl_class rc_class = {"RetryingCall", rc_destroy, rc_repr};

dl_retrying_call *dl_retrying_call_new(dl_reactor *r, dl_fn fn, dl_value arg)
{
    dl_retrying_call *rc = calloc(1, sizeof *rc);
    if (!rc) {
        dl_fn_release(fn);
        oom(r->eng);
        return NULL;
    }
    dl_obj_init(&rc->hdr, &rc_class);
    rc->hdr.id = dl_engine_next_obj_id(r->eng);
    rc->eng = r->eng;
    dl_obj_retain(r);
    rc->reactor = r;
    rc->fn = fn;
    rc->arg = dl_retain(arg);
    rc->failure = dl_none();
    rc->tester = dl_passthru();
    emit_state(rc);
    return rc;
}

static void rc_ref_release(void *ud)
{
    dl_obj_release(ud);
}

/* Finish the run: fire start()'s Deferred with result (borrowed). */
static void finish(dl_retrying_call *rc, dl_value result)
{
    dl_deferred *d = rc->deferred;
    rc->deferred = NULL;
    rc->running = false;
    rc->has_next_delay = false;
    if (rc->current) {
        dl_deferred_release(rc->current);
        rc->current = NULL;
    }
    emit_state(rc);
    if (!d) return;
    if (dl_is_failure(result))
        dl_deferred_errback(d, result);
    else
        dl_deferred_callback(d, result);
    dl_deferred_release(d);
}

/* The function deferLater calls: f(arg), counting the attempt. */
static int attempt_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    dl_retrying_call *rc = ud;
    rc->attempts++;
    rc->has_next_delay = false;
    emit_state(rc);
    return dl_fn_call(rc->fn, rc->arg, out);
}

static const char *attempt_name(void *ud)
{
    return dl_fn_name(((dl_retrying_call *)ud)->fn);
}

static const dl_fn_class attempt_class = {attempt_call, rc_ref_release, attempt_name, "f"};

static void call_next(dl_retrying_call *rc);

/* The pair on each try: (self._deferred.callback, self._err). */
static int try_cb_call(void *ud, dl_value result, dl_value *out)
{
    dl_retrying_call *rc = ud;
    *out = dl_none();
    if (rc->running) finish(rc, result);
    return 0;
}

static int try_eb_call(void *ud, dl_value fail, dl_value *out)
{
    dl_retrying_call *rc = ud;
    *out = dl_none();
    if (!rc->running) return 0; /* cancelled: the try's CancelledError ends here */
    if (rc->current) {
        dl_deferred_release(rc->current);
        rc->current = NULL;
    }
    if (rc->failure.kind == DL_NONE) rc->failure = dl_retain(fail);
    emit_state(rc);
    dl_obj_retain(rc);
    if (rc->tester.cls) {
        dl_value r = dl_none();
        int err = dl_fn_call(rc->tester, fail, &r);
        if (err || dl_is_failure(r)) {
            if (!dl_is_failure(r)) {
                dl_release(r);
                r = dl_fail_value(&dl_type_RuntimeError, "failureTester raised");
            }
            finish(rc, r);
            dl_release(r);
            dl_obj_release(rc);
            return 0;
        }
        dl_release(r);
    }
    call_next(rc);
    dl_obj_release(rc);
    return 0;
}

static const dl_fn_class try_cb_class = {try_cb_call, rc_ref_release, NULL, "callback"};
static const dl_fn_class try_eb_class = {try_eb_call, rc_ref_release, NULL, "_err"};

/* deferLater(reactor, delay, f, arg) with the (callback, _err) pair. */
static int schedule(dl_retrying_call *rc, double delay)
{
    rc->next_delay = delay;
    rc->has_next_delay = true;
    emit_state(rc);
    dl_obj_retain(rc);
    dl_deferred *d = dl_defer_later(rc->reactor, delay, dl_fn_make(&attempt_class, rc), dl_none());
    if (!d) return DL_ENOMEM;
    rc->current = d;
    dl_obj_retain(rc);
    dl_obj_retain(rc);
    return dl_deferred_add_callbacks(d, dl_fn_make(&try_cb_class, rc),
                                     dl_fn_make(&try_eb_class, rc));
}

/* _call(): the next delay and a new try, or the end of the run. */
static void call_next(dl_retrying_call *rc)
{
    double delay = 0;
    dl_value failure = dl_none();
    int got = dl_backoff_next(rc->backoff, &delay, &failure);
    if (got <= 0) {
        dl_value result = got == 0 ? dl_retain(rc->failure) : failure;
        finish(rc, result);
        dl_release(result);
        return;
    }
    if (schedule(rc, delay) != 0) {
        dl_value f = dl_engine_take_raised(rc->eng);
        finish(rc, f);
        dl_release(f);
    }
}

/* The canceller of start()'s Deferred: stop retrying. */
static int cancel_call(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    dl_retrying_call *rc = ud;
    dl_engine *eng = rc->eng;
    *out = dl_none();
    if (!rc->running) return 0;
    dl_obj_retain(rc);
    rc->running = false;
    rc->has_next_delay = false;
    dl_deferred *cur = rc->current, *d = rc->deferred;
    rc->current = NULL;
    rc->deferred = NULL;
    emit_state(rc);
    int err = cur ? dl_deferred_cancel(cur) : 0;
    if (cur) dl_deferred_release(cur);
    if (d) dl_deferred_release(d); /* cancel()'s caller still holds it */
    dl_obj_release(rc);
    if (err) {
        *out = dl_engine_take_raised(eng);
        return DL_ERAISED;
    }
    return 0;
}

static const dl_fn_class cancel_class = {cancel_call, rc_ref_release, NULL, "RetryingCall.cancel"};

int dl_retrying_call_start(dl_retrying_call *rc, dl_backoff backoff, dl_fn failure_tester,
                           dl_deferred **out)
{
    *out = NULL;
    if (rc->running) {
        dl_backoff_release(backoff);
        dl_fn_release(failure_tester);
        return dl__raisef(rc->eng, DL_ERUNTIME, &dl_type_RuntimeError,
                          "RetryingCall is already running");
    }
    if (!backoff.cls) {
        int err =
            dl_simple_backoff(rc->eng, DL_BACKOFF_DEFAULT_MAX_RESULTS, DL_BACKOFF_DEFAULT_MAX_DELAY,
                              true, DL_BACKOFF_DEFAULT_INIT_DELAY, dl_passthru(), &backoff);
        if (err) {
            dl_fn_release(failure_tester);
            return err;
        }
    }
    dl_backoff_release(rc->backoff);
    rc->backoff = backoff;
    dl_fn_release(rc->tester);
    rc->tester = failure_tester;
    dl_release(rc->failure);
    rc->failure = dl_none();
    rc->attempts = 0;

    /* The first delay decides whether there is anything to do at all. */
    double delay = 0;
    dl_value failure = dl_none();
    int got = dl_backoff_next(rc->backoff, &delay, &failure);
    if (got < 0) return dl__raise(rc->eng, DL_ERAISED, failure);
    if (got == 0)
        return dl__raisef(rc->eng, DL_EVALUE, &dl_type_ValueError,
                          "RetryingCall: the backoff iterator gave no delays");

    dl_obj_retain(rc);
    dl_deferred *d = dl_deferred_new(rc->eng, dl_fn_make(&cancel_class, rc));
    if (!d) return oom(rc->eng);
    rc->deferred = dl_deferred_retain(d);
    rc->running = true;
    if (schedule(rc, delay) != 0) {
        rc->running = false;
        rc->has_next_delay = false;
        dl_deferred_release(rc->deferred);
        rc->deferred = NULL;
        dl_deferred_release(d);
        emit_state(rc);
        return DL_ENOMEM;
    }
    *out = d;
    return 0;
}

int64_t dl_retrying_call_attempts(const dl_retrying_call *rc)
{
    return rc->attempts;
}

dl_value dl_retrying_call_failure(const dl_retrying_call *rc)
{
    return rc->failure;
}

bool dl_retrying_call_running(const dl_retrying_call *rc)
{
    return rc->running;
}

dl_retrying_call *dl_retrying_call_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &rc_class ? (dl_retrying_call *)v.u.o : NULL;
}

dl_value dl_retrying_call_value(dl_retrying_call *rc)
{
    dl_obj_retain(rc);
    return dl_obj_value(DL_OBJ, rc);
}
