/* timeout.c - Deferred.addTimeout, as Twisted 22.4 writes it (reference 2.12).
 *
 * One shared state stands for the Python closure cell (timedOut, the
 * DelayedCall, onTimeoutCancel); the three closures each hold a reference to
 * it, and timeItOut also holds the Deferred (as `self` in the lambda).
 */
#include "timeout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct timeout_state {
    size_t refs;
    dl_engine *eng;
    bool timed_out;
    dl_delayed_call *call; /* reference, or NULL */
    dl_value timeout;      /* DL_INT or DL_NUM */
    dl_fn on_cancel;       /* passthru: the default */
} timeout_state;

static void state_release(timeout_state *s)
{
    if (--s->refs) return;
    dl_obj_release(s->call);
    dl_fn_release(s->on_cancel);
    free(s);
}

static void state_release_fn(void *ud)
{
    state_release(ud);
}

/* Python's str() of the number: 10 -> "10", 2.5 -> "2.5", 10.0 -> "10.0". */
static void number_str(dl_value v, char *buf, size_t n)
{
    if (v.kind == DL_INT) {
        snprintf(buf, n, "%lld", (long long)v.u.i);
        return;
    }
    double x = v.u.n;
    if (isinf(x)) {
        snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
        return;
    }
    if (isnan(x)) {
        snprintf(buf, n, "nan");
        return;
    }
    /* Python's repr: the shortest digits that read back the same, written
     * without an exponent when 1e-4 <= |x| < 1e16. */
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    double ax = fabs(x);
    if (ax >= 1e-4 && ax < 1e16) {
        int decimals = prec - 1 - (int)floor(log10(ax));
        snprintf(buf, n, "%.*f", decimals > 0 ? decimals : 0, x);
    } else if (x == 0) {
        snprintf(buf, n, "%s", signbit(x) ? "-0.0" : "0.0");
    } else {
        snprintf(buf, n, "%.*g", prec, x);
    }
    if (!strpbrk(buf, ".e")) strncat(buf, ".0", n - strlen(buf) - 1);
}

dl_value dl_cancelled_to_timed_out(dl_value value, dl_value timeout)
{
    if (!dl_is_failure(value)) return dl_retain(value);
    /* value.trap(CancelledError): any other failure is re-raised as is. */
    if (!dl_failure_check(value, &dl_type_CancelledError)) return dl_retain(value);
    char num[64], msg[96];
    number_str(timeout, num, sizeof num);
    snprintf(msg, sizeof msg, "(%s, 'Deferred')", num);
    dl_value args = dl_pair_new(timeout, dl_cstr("Deferred"));
    dl_exception *e =
        args.kind == DL_LIST ? dl_exception_new(&dl_type_TimeoutError, msg, args) : NULL;
    dl_failure *f = e ? dl_failure_new(e, NULL) : NULL;
    dl_obj_release(e);
    if (!f) return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    return dl_obj_value(DL_FAILURE, f);
}

/* timeItOut: timedOut = True; self.cancel(). A raising canceller
 * propagates out of the clock's advance, as in Twisted. */
typedef struct time_it_out {
    timeout_state *s; /* reference */
    dl_deferred *d;   /* reference */
} time_it_out;

static int time_it_out_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    time_it_out *t = ud;
    t->s->timed_out = true;
    *out = dl_none();
    if (dl_deferred_cancel(t->d) != 0) {
        *out = dl_engine_take_raised(t->s->eng);
        return DL_ERAISED;
    }
    return 0;
}

static void time_it_out_release(void *ud)
{
    time_it_out *t = ud;
    state_release(t->s);
    dl_deferred_release(t->d);
    free(t);
}

static const dl_fn_class time_it_out_class = {time_it_out_call, time_it_out_release, NULL,
                                              "timeItOut"};

/* convertCancelled(value): after a timeout, onTimeoutCancel(value, timeout). */
static int convert_call(void *ud, dl_value value, dl_value *out)
{
    timeout_state *s = ud;
    if (!s->timed_out) {
        *out = dl_retain(value);
        return 0;
    }
    if (!s->on_cancel.cls) {
        *out = dl_cancelled_to_timed_out(value, s->timeout);
        return dl_is_failure(*out) ? DL_ERAISED : 0;
    }
    dl_value arg = dl_pair_new(dl_retain(value), s->timeout);
    if (arg.kind != DL_LIST) {
        *out = dl_fail_value(&dl_type_RuntimeError, "out of memory");
        return DL_ERAISED;
    }
    int rc = dl_fn_call(s->on_cancel, arg, out);
    dl_release(arg);
    return rc;
}

/* cancelTimeout(result): stop the pending call once d has a result. */
static int cancel_timeout_call(void *ud, dl_value value, dl_value *out)
{
    timeout_state *s = ud;
    if (s->call && dl_delayed_call_active(s->call) && dl_delayed_call_cancel(s->call) != 0) {
        *out = dl_engine_take_raised(s->eng);
        return DL_ERAISED;
    }
    *out = dl_retain(value);
    return 0;
}

static const dl_fn_class convert_class = {convert_call, state_release_fn, NULL, "convertCancelled"};
static const dl_fn_class cancel_timeout_class = {cancel_timeout_call, state_release_fn, NULL,
                                                 "cancelTimeout"};

int dl_deferred_add_timeout(dl_deferred *d, dl_reactor *clock, dl_value timeout,
                            dl_fn on_timeout_cancel)
{
    dl_engine *eng = d->eng;
    if (!clock) {
        dl_fn_release(on_timeout_cancel);
        return dl__raisef(eng, DL_EINVAL, &dl_type_TypeError, "addTimeout needs a clock");
    }
    if (timeout.kind != DL_INT && timeout.kind != DL_NUM) {
        dl_fn_release(on_timeout_cancel);
        return dl__raisef(eng, DL_ETYPE, &dl_type_TypeError, "timeout must be a number");
    }
    timeout_state *s = calloc(1, sizeof *s);
    time_it_out *t = malloc(sizeof *t);
    if (!s || !t) {
        free(s);
        free(t);
        dl_fn_release(on_timeout_cancel);
        return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
    }
    s->refs = 2; /* ours and timeItOut's */
    s->eng = eng;
    s->timeout = timeout;
    s->on_cancel = on_timeout_cancel;
    t->s = s;
    t->d = dl_deferred_retain(d);
    double seconds = timeout.kind == DL_INT ? (double)timeout.u.i : timeout.u.n;
    s->call = dl_reactor_call_later(clock, seconds, dl_fn_make(&time_it_out_class, t), dl_none());
    int rc = DL_ENOMEM;
    if (s->call) {
        /* Each slot of each pair owns one reference to the state; on an
         * error add_both has already released both. */
        s->refs += 2;
        rc = dl_deferred_add_both(d, dl_fn_make(&convert_class, s), dl_fn_make(&convert_class, s));
    }
    if (rc == 0) {
        s->refs += 2;
        rc = dl_deferred_add_both(d, dl_fn_make(&cancel_timeout_class, s),
                                  dl_fn_make(&cancel_timeout_class, s));
    }
    state_release(s);
    return rc;
}
