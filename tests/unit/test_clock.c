/* test_clock.c - Clock, DelayedCall, deferLater, LoopingCall (reference 1.6,
 * 2.13). Expected values were checked against Twisted 22.4. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "engine/clock.h"
#include "engine/task.h"

static dl_clock *C; /* the clock under test, made by each test */

/* A delayed-call function that logs "name@<now>" and may do more. */
typedef struct at_spec {
    char name[32];
    void (*then)(void);
    bool raise;
} at_spec;

static int at_call(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    at_spec *s = ud;
    logf_("%s@%g ", s->name, dl_clock_seconds(C));
    if (s->then) s->then();
    if (s->raise) {
        *out = dl_fail_value(&dl_type_ValueError, "%s", s->name);
        return DL_ERAISED;
    }
    *out = dl_none();
    return 0;
}

static const char *at_name(void *ud)
{
    return ((at_spec *)ud)->name;
}

static const dl_fn_class at_class = {at_call, free, at_name, "at"};

static dl_fn at_fn(const char *name, void (*then)(void), bool raise)
{
    at_spec *s = calloc(1, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->then = then;
    s->raise = raise;
    return dl_fn_make(&at_class, s);
}

static dl_delayed_call *later(double delay, const char *name)
{
    return dl_reactor_call_later(dl_clock_reactor(C), delay, at_fn(name, NULL, false), dl_none());
}

/* Release a call handle we do not need. */
static void drop(dl_delayed_call *c)
{
    dl_obj_release(c);
}

static int setup(void **state)
{
    int rc = setup_engine(state);
    C = dl_clock_new(E);
    return rc;
}

static int teardown(void **state)
{
    dl_obj_release(C);
    C = NULL;
    return teardown_engine(state);
}

/* The raised failure's type name and str; clears the slot. */
static const char *raised(void)
{
    static char buf[256];
    dl_value f = dl_engine_take_raised(E);
    snprintf(buf, sizeof buf, "%s", R(f));
    dl_release(f);
    return buf;
}

/* ---- Clock ordering (2.13, exactly) ------------------------------------ */

static void schedule_z_y(void)
{
    drop(later(0, "z"));
    drop(later(0.5, "y"));
}

static void clock_ordering(void **state)
{
    (void)state;
    drop(later(2, "b"));
    drop(later(1, "a"));
    drop(later(2, "c"));
    drop(dl_reactor_call_later(dl_clock_reactor(C), 1, at_fn("s", schedule_z_y, false), dl_none()));
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("a@1 s@1 z@1");
    /* What is left, in list order: y at 1.5, then b and c at 2 (FIFO). */
    size_t n;
    dl_delayed_call *const *calls = dl_clock_calls(C, &n);
    assert_int_equal(n, 3);
    assert_string_equal(dl_delayed_call_name(calls[0]), "y");
    assert_true(dl_delayed_call_get_time(calls[0]) == 1.5);
    assert_string_equal(dl_delayed_call_name(calls[1]), "b");
    assert_string_equal(dl_delayed_call_name(calls[2]), "c");
    assert_true(dl_delayed_call_get_time(calls[2]) == 2.0);
    assert_int_equal(dl_clock_advance(C, 5), 0);
    assert_log("y@6 b@6 c@6"); /* every call sees the new now */
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
    assert_true(dl_clock_seconds(C) == 6.0);
}

static void every_call_sees_the_new_now(void **state)
{
    (void)state;
    drop(later(1, "a"));
    drop(later(3, "b"));
    drop(later(4, "late"));
    assert_int_equal(dl_clock_advance(C, 3.5), 0);
    assert_log("a@3.5 b@3.5");
    size_t n;
    dl_delayed_call *const *calls = dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
    assert_string_equal(dl_delayed_call_name(calls[0]), "late");
}

static void negative_delay_is_in_the_past(void **state)
{
    (void)state;
    dl_delayed_call *c = later(-1, "past");
    assert_true(dl_delayed_call_get_time(c) == -1.0);
    assert_int_equal(dl_clock_advance(C, 0), 0);
    assert_log("past@0");
    drop(c);
}

static void pump_advances_in_steps(void **state)
{
    (void)state;
    drop(later(1, "one"));
    drop(later(2, "two"));
    drop(later(3, "three"));
    double steps[] = {1, 1};
    assert_int_equal(dl_clock_pump(C, steps, 2), 0);
    assert_log("one@1 two@2");
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
}

static void raising_call_propagates_out_of_advance(void **state)
{
    (void)state;
    drop(dl_reactor_call_later(dl_clock_reactor(C), 1, at_fn("boom", NULL, true), dl_none()));
    drop(later(1, "after"));
    assert_int_equal(dl_clock_advance(C, 1), DL_ERAISED);
    assert_string_equal(raised(), "Failure(ValueError: boom)");
    assert_log("boom@1");
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
    assert_int_equal(dl_clock_advance(C, 0), 0);
    assert_log("after@1");
}

/* ---- DelayedCall -------------------------------------------------------- */

static void reset_and_delay(void **state)
{
    (void)state;
    dl_delayed_call *c = later(5, "x");
    assert_true(dl_delayed_call_get_time(c) == 5.0);
    assert_int_equal(dl_delayed_call_reset(c, 1), 0);
    assert_true(dl_delayed_call_get_time(c) == 1.0);
    assert_int_equal(dl_delayed_call_delay(c, 2), 0);
    assert_true(dl_delayed_call_get_time(c) == 3.0);
    assert_int_equal(dl_clock_advance(C, 2.9), 0);
    assert_log("");
    assert_int_equal(dl_clock_advance(C, 0.1), 0);
    assert_log("x@3");
    assert_false(dl_delayed_call_active(c));
    drop(c);
}

static void reset_later_keeps_list_position(void **state)
{
    (void)state;
    /* Twisted re-sorts stably and reset() later only adds delayed_time, so
     * a (moved to 2) still runs before b (scheduled at 2). */
    dl_delayed_call *a = later(1, "a");
    drop(later(2, "b"));
    assert_int_equal(dl_delayed_call_reset(a, 2), 0);
    assert_true(dl_delayed_call_get_time(a) == 2.0);
    assert_true(a->time == 1.0 && a->delayed_time == 1.0);
    assert_int_equal(dl_clock_advance(C, 2), 0);
    assert_log("a@2 b@2");
    drop(a);
}

static void delay_negative_moves_earlier(void **state)
{
    (void)state;
    dl_delayed_call *a = later(4, "a");
    drop(later(2, "b"));
    assert_int_equal(dl_delayed_call_delay(a, -3), 0);
    assert_true(dl_delayed_call_get_time(a) == 1.0);
    assert_true(a->delayed_time == 0.0);
    assert_int_equal(dl_clock_advance(C, 5), 0);
    assert_log("a@5 b@5");
    drop(a);
}

static void cancel_errors(void **state)
{
    (void)state;
    dl_delayed_call *c = later(5, "x");
    assert_true(dl_delayed_call_active(c));
    assert_int_equal(dl_delayed_call_cancel(c), 0);
    assert_false(dl_delayed_call_active(c));
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
    assert_int_equal(dl_delayed_call_cancel(c), DL_EDCCANCELLED);
    assert_string_equal(raised(),
                        "Failure(AlreadyCancelled: Tried to cancel an already-cancelled event.)");
    assert_int_equal(dl_delayed_call_reset(c, 1), DL_EDCCANCELLED);
    assert_string_equal(raised(),
                        "Failure(AlreadyCancelled: Tried to cancel an already-cancelled event.)");
    assert_int_equal(dl_delayed_call_delay(c, 1), DL_EDCCANCELLED);
    dl_release(dl_engine_take_raised(E));
    assert_int_equal(dl_clock_advance(C, 10), 0);
    assert_log("");
    drop(c);

    dl_delayed_call *r = later(1, "ran");
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("ran@11");
    assert_int_equal(dl_delayed_call_cancel(r), DL_EDCCALLED);
    assert_string_equal(raised(),
                        "Failure(AlreadyCalled: Tried to cancel an already-called event.)");
    assert_int_equal(dl_delayed_call_reset(r, 1), DL_EDCCALLED);
    dl_release(dl_engine_take_raised(E));
    assert_int_equal(dl_delayed_call_delay(r, 1), DL_EDCCALLED);
    dl_release(dl_engine_take_raised(E));
    drop(r);
}

static void cancel_inside_advance(void **state);
static dl_delayed_call *VICTIM;
static void cancel_victim(void)
{
    assert_int_equal(dl_delayed_call_cancel(VICTIM), 0);
}

static void cancel_inside_advance(void **state)
{
    (void)state;
    drop(dl_reactor_call_later(dl_clock_reactor(C), 1, at_fn("killer", cancel_victim, false),
                               dl_none()));
    VICTIM = later(1, "victim");
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("killer@1");
    drop(VICTIM);
}

static void clock_destroyed_with_pending_calls(void **state)
{
    (void)state;
    dl_delayed_call *c = later(1, "never");
    dl_obj_release(C);
    C = dl_clock_new(E);
    assert_false(dl_delayed_call_active(c));
    assert_int_equal(dl_delayed_call_cancel(c), DL_EDCCANCELLED);
    dl_release(dl_engine_take_raised(E));
    drop(c);
}

static void values_and_classes(void **state)
{
    (void)state;
    dl_value v = dl_reactor_value(dl_clock_reactor(C));
    assert_ptr_equal(dl_clock_of(v), C);
    assert_ptr_equal(dl_reactor_of(v), dl_clock_reactor(C));
    assert_null(dl_delayed_call_of(v));
    assert_string_equal(R(v), "<Clock #1 at 0, 0 pending>");
    dl_delayed_call *c = later(2, "x");
    dl_value cv = dl_delayed_call_value(c);
    assert_ptr_equal(dl_delayed_call_of(cv), c);
    assert_null(dl_reactor_of(cv));
    assert_string_equal(R(cv), "<DelayedCall #2 at 2>");
    assert_null(dl_reactor_of(S("x")));
    dl_release(cv);
    dl_release(v);
    drop(c);
}

/* ---- the engine's `now` hook and the clock events ------------------------ */

static void clock_events_exact(void **state)
{
    (void)state;
    record_events();
    E->now = dl_clock_now;
    E->now_ud = C;
    dl_delayed_call *a = later(2, "a");
    dl_delayed_call *b = later(5, "b");
    assert_int_equal(dl_delayed_call_reset(b, 1), 0);
    assert_int_equal(dl_delayed_call_delay(b, 0.5), 0);
    assert_int_equal(dl_clock_advance(C, 1.5), 0);
    assert_int_equal(dl_delayed_call_cancel(a), 0);
    assert_string_equal(EVENTS, "call-scheduled d=1 other=2 a @2\n"
                                "call-scheduled d=1 other=3 b @5\n"
                                "call-moved d=1 other=3 @1\n"
                                "call-moved d=1 other=3 @1.5\n"
                                "clock-advance d=1 @1.5\n"
                                "call-ran d=1 other=3 b\n"
                                "call-cancelled d=1 other=2\n");
    drop(a);
    drop(b);
}

typedef struct seen {
    int kinds[8];
    double nums[8], times[8];
    int n;
} seen;

static void capture(void *ud, const dl_event *ev)
{
    seen *s = ud;
    if (s->n < 8) {
        s->kinds[s->n] = ev->kind;
        s->nums[s->n] = ev->num;
        s->times[s->n] = ev->time;
        s->n++;
    }
}

static void events_carry_virtual_time(void **state)
{
    (void)state;
    seen s = {{0}, {0}, {0}, 0};
    dl_engine_observe(E, capture, &s);
    E->now = dl_clock_now;
    E->now_ud = C;
    dl_delayed_call *a = later(2, "a");
    assert_int_equal(dl_delayed_call_reset(a, 3), 0);
    assert_int_equal(dl_clock_advance(C, 4), 0);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.kinds[0], DL_EV_CALL_SCHEDULED);
    assert_true(s.nums[0] == 2.0 && s.times[0] == 0.0);
    assert_int_equal(s.kinds[1], DL_EV_CALL_MOVED);
    assert_true(s.nums[1] == 3.0);
    assert_int_equal(s.kinds[2], DL_EV_CLOCK_ADVANCE);
    assert_true(s.nums[2] == 4.0 && s.times[2] == 4.0);
    assert_int_equal(s.kinds[3], DL_EV_CALL_RAN);
    assert_true(s.times[3] == 4.0);
    drop(a);
    /* Destroying the clock unhooks it from the engine. */
    dl_obj_release(C);
    assert_null(E->now);
    C = dl_clock_new(E);
}

/* ---- deferLater ---------------------------------------------------------- */

static dl_value add_pair(dl_value arg, void *ud)
{
    (void)ud;
    logf_("f%s ", R(arg));
    return dl_int(dl_list_get(arg, 0).u.i + dl_list_get(arg, 1).u.i);
}

static void defer_later_fires_with_result(void **state)
{
    (void)state;
    dl_value args = dl_pair_new(I(1), I(2));
    dl_deferred *d = dl_defer_later(dl_clock_reactor(C), 3, dl_fn_c(add_pair, NULL, "f"), args);
    dl_release(args);
    dl_deferred_add_callback(d, cb_log("got"));
    assert_int_equal(dl_clock_advance(C, 2), 0);
    assert_false(d->called);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("f{1, 2} got(3)");
    assert_result(d, "3");
    dl_deferred_release(d);
}

static void defer_later_without_callable(void **state)
{
    (void)state;
    dl_deferred *d = dl_defer_later(dl_clock_reactor(C), 1, dl_passthru(), I(9));
    dl_deferred_add_callback(d, cb_log("got"));
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("got(nil)");
    dl_deferred_release(d);
}

static void defer_later_raising_callable(void **state)
{
    (void)state;
    dl_deferred *d =
        dl_defer_later(dl_clock_reactor(C), 1, cb_raise("f", &dl_type_KeyError, "k"), dl_none());
    dl_deferred_add_errback(d, cb_log("eb"));
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("f(nil) eb(Failure(KeyError: k))");
    dl_deferred_add_errback(d, cb_ret("handled", dl_none()));
    dl_deferred_release(d);
    assert_int_equal(E->unhandled_reported, 0);
}

static void defer_later_cancel(void **state)
{
    (void)state;
    dl_deferred *d = dl_defer_later(dl_clock_reactor(C), 3, cb_log("f"), dl_none());
    dl_deferred_add_errback(d, cb_log("eb"));
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
    assert_int_equal(dl_deferred_cancel(d), 0);
    assert_log("eb(Failure(CancelledError))");
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
    assert_int_equal(dl_clock_advance(C, 5), 0);
    assert_log("");
    dl_deferred_release(d);
}

/* ---- LoopingCall --------------------------------------------------------- */

static dl_value tick(dl_value arg, void *ud)
{
    (void)ud;
    logf_("%g ", dl_clock_seconds(C));
    return dl_retain(arg);
}

static dl_looping_call *looping(dl_fn fn)
{
    dl_looping_call *lc = dl_looping_call_new(E, fn, dl_none());
    dl_looping_call_set_clock(lc, dl_clock_reactor(C));
    return lc;
}

static void looping_call_timings(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(dl_fn_c(tick, NULL, "tick"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 2, true, &d), 0);
    dl_deferred_add_callback(d, cb_log("stopped"));
    assert_true(dl_looping_call_running(lc));
    assert_int_equal(dl_clock_advance(C, 2), 0);
    assert_int_equal(dl_clock_advance(C, 2), 0);
    assert_log("0 2 4");
    assert_int_equal(dl_clock_advance(C, 7), 0); /* to 11: the missed ones collapse */
    assert_log("11");
    assert_true(dl_delayed_call_get_time(dl_looping_call_pending(lc)) == 12.0);
    assert_int_equal(dl_looping_call_stop(lc), 0);
    assert_log("stopped(LoopingCall<2>(tick))");
    assert_ptr_equal(dl_looping_call_of(d->result), lc);
    assert_false(dl_looping_call_running(lc));
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
    assert_int_equal(dl_looping_call_stop(lc), DL_EASSERTION);
    assert_string_equal(
        raised(), "Failure(AssertionError: Tried to stop a LoopingCall that was not running.)");
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static void looping_call_now_false(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(dl_fn_c(tick, NULL, "tick"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 3, false, &d), 0);
    assert_log("");
    assert_int_equal(dl_clock_advance(C, 3), 0);
    assert_log("3");
    assert_int_equal(dl_looping_call_stop(lc), 0);
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static void looping_call_raising(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(cb_raise("f", &dl_type_ValueError, "bad"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 1, false, &d), 0);
    dl_deferred_add_errback(d, cb_log("eb"));
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("f(nil) eb(Failure(ValueError: bad))");
    assert_false(dl_looping_call_running(lc));
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static void looping_call_raising_at_start(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(cb_raise("f", &dl_type_ValueError, "bad"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 1, true, &d), 0);
    assert_false(dl_looping_call_running(lc));
    assert_result(d, "Failure(ValueError: bad)");
    dl_deferred_add_errback(d, cb_ret("h", dl_none()));
    assert_log("f(nil) h(Failure(ValueError: bad))");
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static dl_deferred *PENDING;

static dl_value returns_deferred(dl_value arg, void *ud)
{
    (void)arg;
    (void)ud;
    logf_("%g ", dl_clock_seconds(C));
    if (PENDING) dl_deferred_release(PENDING);
    PENDING = dl_deferred_new(E, dl_passthru());
    return dl_deferred_value(PENDING);
}

static void looping_call_waits_for_deferred(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(dl_fn_c(returns_deferred, NULL, "f"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 2, true, &d), 0);
    assert_int_equal(dl_clock_advance(C, 5), 0);
    assert_log("0");
    size_t n;
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
    assert_int_equal(dl_deferred_callback(PENDING, dl_none()), 0);
    dl_delayed_call *const *calls = dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
    assert_true(dl_delayed_call_get_time(calls[0]) == 6.0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("6");
    /* A failed returned Deferred stops the loop with that failure. */
    dl_value f = dl_fail_value(&dl_type_KeyError, "k");
    assert_int_equal(dl_deferred_errback(PENDING, f), 0);
    dl_release(f);
    assert_false(dl_looping_call_running(lc));
    assert_result(d, "Failure(KeyError: k)");
    dl_deferred_add_errback(d, cb_ret("h", dl_none()));
    clear_log();
    dl_deferred_release(PENDING);
    PENDING = NULL;
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static void looping_call_stop_while_waiting(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(dl_fn_c(returns_deferred, NULL, "f"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 2, true, &d), 0);
    dl_deferred_add_callback(d, cb_log("stopped"));
    assert_int_equal(dl_looping_call_stop(lc), 0);
    assert_log("0");
    assert_false(d->called);
    assert_int_equal(dl_deferred_callback(PENDING, dl_none()), 0);
    assert_log("stopped(LoopingCall<2>(f))");
    dl_deferred_release(PENDING);
    PENDING = NULL;
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static dl_value counted(dl_value count, void *ud)
{
    (void)ud;
    logf_("%g:%s ", dl_clock_seconds(C), R(count));
    return dl_none();
}

static void looping_call_with_count(void **state)
{
    (void)state;
    dl_looping_call *lc = dl_looping_call_with_count(E, dl_fn_c(counted, NULL, "counted"));
    dl_looping_call_set_clock(lc, dl_clock_reactor(C));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 1, true, &d), 0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_int_equal(dl_clock_advance(C, 3.5), 0);
    assert_log("0:1 1:1 4.5:3");
    assert_int_equal(dl_looping_call_stop(lc), 0);
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static void looping_call_errors(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(dl_fn_c(tick, NULL, "tick"));
    dl_deferred *d = NULL, *d2 = NULL;
    assert_int_equal(dl_looping_call_start(lc, -1, true, &d), DL_EVALUE);
    assert_string_equal(raised(), "Failure(ValueError: interval must be >= 0)");
    assert_null(d);
    assert_false(dl_looping_call_running(lc));
    assert_int_equal(dl_looping_call_start(lc, 1, true, &d), 0);
    assert_int_equal(dl_looping_call_start(lc, 1, true, &d2), DL_EASSERTION);
    assert_string_equal(raised(),
                        "Failure(AssertionError: Tried to start an already running LoopingCall.)");
    assert_null(d2);
    assert_int_equal(dl_looping_call_stop(lc), 0);
    assert_log("0");
    dl_deferred_release(d);
    dl_obj_release(lc);

    dl_looping_call *noclock = dl_looping_call_new(E, dl_fn_c(tick, NULL, "tick"), dl_none());
    assert_int_equal(dl_looping_call_start(noclock, 1, true, &d), DL_EINVAL);
    dl_release(dl_engine_take_raised(E));
    dl_obj_release(noclock);
}

static void looping_call_reset(void **state)
{
    (void)state;
    dl_looping_call *lc = looping(dl_fn_c(tick, NULL, "tick"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 2, true, &d), 0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_int_equal(dl_looping_call_reset(lc), 0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("0");
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("3");
    assert_int_equal(dl_looping_call_stop(lc), 0);
    assert_int_equal(dl_looping_call_reset(lc), DL_EASSERTION);
    dl_release(dl_engine_take_raised(E));
    dl_deferred_release(d);
    dl_obj_release(lc);
}

static void looping_call_interval_zero_and_close(void **state)
{
    (void)state;
    /* Interval 0 reschedules at the same time; the caller drops every
     * reference while it runs and closing the reactor ends the loop. */
    dl_looping_call *lc = looping(dl_fn_c(tick, NULL, "tick"));
    dl_deferred *d;
    assert_int_equal(dl_looping_call_start(lc, 0, false, &d), 0);
    size_t n;
    dl_delayed_call *const *calls = dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
    assert_true(dl_delayed_call_get_time(calls[0]) == 0.0);
    dl_obj_release(lc);
    dl_deferred_release(d);
    dl_reactor_close(dl_clock_reactor(C));
    dl_clock_calls(C, &n);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(clock_ordering, setup, teardown),
        cmocka_unit_test_setup_teardown(every_call_sees_the_new_now, setup, teardown),
        cmocka_unit_test_setup_teardown(negative_delay_is_in_the_past, setup, teardown),
        cmocka_unit_test_setup_teardown(pump_advances_in_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(raising_call_propagates_out_of_advance, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_and_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_later_keeps_list_position, setup, teardown),
        cmocka_unit_test_setup_teardown(delay_negative_moves_earlier, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_inside_advance, setup, teardown),
        cmocka_unit_test_setup_teardown(clock_destroyed_with_pending_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(values_and_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(clock_events_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(events_carry_virtual_time, setup, teardown),
        cmocka_unit_test_setup_teardown(defer_later_fires_with_result, setup, teardown),
        cmocka_unit_test_setup_teardown(defer_later_without_callable, setup, teardown),
        cmocka_unit_test_setup_teardown(defer_later_raising_callable, setup, teardown),
        cmocka_unit_test_setup_teardown(defer_later_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_timings, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_now_false, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_raising, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_raising_at_start, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_waits_for_deferred, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_stop_while_waiting, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_with_count, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(looping_call_interval_zero_and_close, setup, teardown),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
