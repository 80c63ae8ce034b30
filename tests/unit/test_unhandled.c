/* test_unhandled.c - reference 2.9 (unhandled errors), behaviour 39
 * (LogTests), behaviour 36 (maybeDeferred), and exact event sequences. */
#include "helpers.h"

#include <string.h>

/* Count occurrences of needle in EVENTS. */
static int count_events(const char *needle)
{
    int n = 0;
    for (const char *p = EVENTS; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Reported exactly once, when the last reference goes. */
static void reported_once_at_release(void **state)
{
    (void)state;
    record_events();
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_raise("cb", &dl_type_ZeroDivisionError, "division by zero"));
    dl_deferred_callback(d, I(1));
    assert_int_equal(count_events("unhandled"), 0);
    dl_deferred *extra = dl_deferred_retain(d);
    dl_deferred_release(d);
    assert_int_equal(count_events("unhandled"), 0);
    dl_deferred_release(extra);
    assert_int_equal(count_events("unhandled d=1 Failure(ZeroDivisionError: division by zero)"), 1);
    assert_int_equal(E->unhandled_reported, 1);
    clear_log();
}

/* A handled failure is never reported; a later recovery clears it. */
static void handled_is_silent(void **state)
{
    (void)state;
    record_events();
    dl_value f = dl_fail_value(&dl_type_ValueError, "x");
    dl_deferred *d = dl_fail(E, f);
    dl_release(f);
    assert_true(dl_is_failure(dl_deferred_unhandled(d)));
    dl_deferred_add_errback(d, cb_ret("eb", S("fine")));
    assert_true(dl_is_none(dl_deferred_unhandled(d)));
    dl_deferred_release(d);
    assert_int_equal(count_events("unhandled"), 0);
    clear_log();
}

/* test_errorClearedByChaining / test_chainedErrorCleanup: a failure handed
 * on to another Deferred is reported by that one only. */
static void handed_off_failure_reported_by_receiver(void **state)
{
    (void)state;
    record_events();
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_callback(outer, I(0));
    dl_value f = dl_fail_value(&dl_type_KeyError, "k");
    dl_deferred_errback(inner, f);
    dl_release(f);
    dl_deferred_release(inner);
    assert_int_equal(count_events("unhandled"), 0);
    dl_deferred_release(outer);
    assert_int_equal(count_events("unhandled d=1 Failure(KeyError: k)"), 1);
    clear_log();
}

/* A Deferred left in a reference cycle (waiting forever on another that
 * waits on it) is reclaimed at engine teardown and reports then, like
 * Twisted's cycle collector. */
static void cycle_reclaimed_at_teardown(void **state)
{
    (void)state;
    record_events();
    dl_deferred *a = D("a"), *b = D("b");
    dl_deferred_add_callback(a, cb_defer("ret_b", b));
    dl_deferred_callback(a, I(0));
    dl_deferred_add_callback(b, cb_defer("ret_a", a)); /* b's chain will wait on a */
    dl_value f = dl_fail_value(&dl_type_ValueError, "lost");
    dl_deferred *c = dl_fail(E, f);
    dl_release(f);
    dl_deferred_add_callbacks(c, cb_log("unused"), dl_passthru());
    dl_deferred_release(a);
    dl_deferred_release(b);
    assert_int_equal(E->live, 3);
    /* c is still referenced by us: dropping it reports. */
    dl_deferred_release(c);
    assert_int_equal(count_events("unhandled"), 1);
    clear_log();
    /* a and b are freed by teardown_engine without leaks (checked by ASan). */
}

/* Behaviour 36: maybeDeferred wraps values, failures and raises, and
 * returns a returned Deferred as the same object. */
static dl_value give_value(dl_value in, void *ud)
{
    (void)ud;
    return dl_retain(in);
}

static dl_deferred *md_d;
static dl_value give_deferred(dl_value in, void *ud)
{
    (void)in;
    (void)ud;
    return dl_deferred_value(md_d);
}

static void b36_maybe_deferred(void **state)
{
    (void)state;
    dl_deferred *d = dl_maybe_deferred(E, dl_fn_c(give_value, NULL, "f"), I(10));
    assert_result(d, "10");
    dl_deferred_release(d);

    d = dl_maybe_deferred(E, cb_raise("f", &dl_type_ValueError, "bad"), I(0));
    assert_result(d, "Failure(ValueError: bad)");
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_release(d);

    d = dl_maybe_deferred(E, cb_ret("f", F(&dl_type_KeyError, "k")), I(0));
    assert_result(d, "Failure(KeyError: k)");
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_release(d);

    md_d = D("mine");
    d = dl_maybe_deferred(E, dl_fn_c(give_deferred, NULL, "f"), I(0));
    assert_ptr_equal(d, md_d);
    assert_false(d->called);
    dl_deferred_release(d);
    dl_deferred_release(md_d);
    clear_log();
}

/* The event stream: exact sequences for three small scenarios. */
static void events_simple_chain(void **state)
{
    (void)state;
    record_events();
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_ret("double", I(10)));
    dl_deferred_add_errback(d, cb_log("eb"));
    dl_deferred_callback(d, I(5));
    dl_deferred_release(d);
    assert_string_equal(EVENTS, "created d=1\n"
                                "label d=1\n"
                                "added d=1 #1 double/passthru\n"
                                "added d=1 #2 passthru/eb\n"
                                "fired d=1 5\n"
                                "call d=1 #1 cb double 5\n"
                                "return d=1 #1 cb double 10\n"
                                "pass d=1 #2 cb 10\n");
    clear_log();
}

static void events_waiting_and_handoff(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    record_events();
    dl_deferred_callback(outer, I(1));
    dl_deferred_callback(inner, S("v"));
    assert_string_equal(EVENTS, "fired d=1 1\n"
                                "call d=1 #1 cb ret_inner 1\n"
                                "return d=1 #1 cb ret_inner <Deferred inner>\n"
                                "paused d=1 n=1\n"
                                "added d=2 other=1 #1 continue\n"
                                "waiting d=1 other=2\n"
                                "fired d=2 \"v\"\n"
                                "handoff d=1 other=2 \"v\"\n"
                                "unpaused d=1 n=0\n");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
    clear_log();
}

static void events_cancel_suppress_already_called(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    record_events();
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_cancel(d);
    dl_deferred_callback(d, I(1));
    dl_deferred_callback(d, I(2));
    dl_value raised = dl_engine_take_raised(E);
    dl_release(raised);
    assert_string_equal(EVENTS, "added d=1 #1 passthru/eb\n"
                                "cancel d=1\n"
                                "fired d=1 Failure(CancelledError)\n"
                                "call d=1 #1 eb eb Failure(CancelledError)\n"
                                "return d=1 #1 eb eb nil\n"
                                "suppressed d=1\n"
                                "already-called d=1\n");
    dl_deferred_release(d);
    clear_log();
}

/* With no observer the engine builds no events (and still works). */
static void no_observer_no_events(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_log("cb"));
    dl_deferred_callback(d, I(1));
    assert_int_equal(E->seq, 0);
    assert_string_equal(EVENTS, "");
    dl_deferred_release(d);
    clear_log();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_engine, teardown_engine)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(reported_once_at_release),
        T(handled_is_silent),
        T(handed_off_failure_reported_by_receiver),
        T(cycle_reclaimed_at_teardown),
        T(b36_maybe_deferred),
        T(events_simple_chain),
        T(events_waiting_and_handoff),
        T(events_cancel_suppress_already_called),
        T(no_observer_no_events),
    };
    return cmocka_run_group_tests_name("unhandled errors, maybeDeferred, events", tests, NULL,
                                       NULL);
}
