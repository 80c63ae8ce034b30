/* test_chaindeferred.c - reference 2.8: chainDeferred's five edge cases
 * under Twisted's semantics (exact 22.4 outputs), their variants, and the
 * same cases under the "proposed" semantics the seed blog argued for. */
#include "helpers.h"

#include <string.h>

/* report(tag): logs the value and returns it; consumes failures (None). */
static dl_value report(dl_value in, void *ud)
{
    (void)ud;
    return dl_is_failure(in) ? dl_none() : dl_retain(in);
}
#define REPORT(tag) cb_custom(tag, report, NULL), cb_custom(tag, report, NULL)

static void expect_raise(int rc, int code, dl_errtype *t)
{
    assert_int_equal(rc, code);
    dl_value raised = dl_engine_take_raised(E);
    assert_true(dl_failure_check(raised, t));
    dl_release(raised);
}

/* (a) d2 cancelled (no canceller), then d1.callback('hey'): the late
 * callback into d2 is swallowed and d1 gets None. */
static void case_a_boom1_no_canceller(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    dl_deferred_chain(d1, d2);
    dl_deferred_add_both(d2, REPORT("d2"));
    dl_deferred_cancel(d2);
    dl_deferred_callback(d1, S("hey"));
    dl_deferred_add_both(d1, REPORT("d1"));
    assert_log("d2(Failure(CancelledError)) d1(nil)");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    assert_int_equal(E->unhandled_reported, 0);
}

/* (a') d2 has a canceller that does not fire it: no suppression, so d1's
 * result becomes Failure(AlreadyCalledError), reported when d1 dies. */
static void case_a_prime_canceller(void **state)
{
    (void)state;
    record_events();
    dl_deferred *d1 = D("d1");
    dl_deferred *d2 = dl_deferred_new(E, canceller_log("canceller"));
    dl_deferred_chain(d1, d2);
    dl_deferred_add_errback(d2, cb_ret("printCancel", dl_none()));
    dl_deferred_cancel(d2);
    assert_int_equal(dl_deferred_callback(d1, S("hey")), 0);
    assert_result(d1, "Failure(AlreadyCalledError)");
    dl_deferred_release(d1);
    assert_int_equal(E->unhandled_reported, 1);
    assert_non_null(strstr(EVENTS, "unhandled d=1 Failure(AlreadyCalledError)"));
    dl_deferred_release(d2);
    clear_log();
}

/* (b) d2.callback('first') then d1.callback('hey'): nothing reaches the
 * caller; d1 holds Failure(AlreadyCalledError), logged when collected. */
static void case_b_boom2(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    dl_deferred_chain(d1, d2);
    assert_int_equal(dl_deferred_callback(d2, S("first")), 0);
    assert_int_equal(dl_deferred_callback(d1, S("hey")), 0);
    assert_result(d1, "Failure(AlreadyCalledError)");
    assert_result(d2, "\"first\"");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    assert_int_equal(E->unhandled_reported, 1);
}

/* (c) d1.cancel() with d2 chained, both with cancellers: d2's canceller is
 * NOT called; d2 receives d1's CancelledError; d1's result becomes None. */
static void case_c_uncalled(void **state)
{
    (void)state;
    dl_deferred *d1 = dl_deferred_new(E, canceller_log("d1_canceller"));
    dl_deferred *d2 = dl_deferred_new(E, canceller_log("d2_canceller"));
    dl_deferred_set_label(d1, "d1");
    dl_deferred_chain(d1, d2);
    dl_deferred_add_both(d2, REPORT("d2"));
    dl_deferred_cancel(d1);
    assert_result(d1, "nil");
    assert_log("d1_canceller(<Deferred d1>) d2(Failure(CancelledError))");
    /* The reverse: d2.cancel() never touches d1. */
    dl_deferred *e1 = D("e1");
    dl_deferred *e2 = dl_deferred_new(E, canceller_log("e2_canceller"));
    dl_deferred_chain(e1, e2);
    dl_deferred_add_errback(e2, cb_ret("e2_eb", dl_none()));
    dl_deferred_cancel(e2);
    assert_false(e1->called);
    clear_log();
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    dl_deferred_release(e1);
    dl_deferred_release(e2);
}

/* (d) callbacks added to d1 after the chain step get None. */
static void case_d_unexpected1(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    dl_deferred_chain(d1, d2);
    dl_deferred_add_callback(d1, cb_custom("report", report, NULL));
    dl_deferred_callback(d1, S("hey"));
    assert_log("report(nil)");
    assert_result(d2, "\"hey\"");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
}

/* (e) chained to d2 and d3: d3 gets None; with an errback, d2 gets the
 * failure and d3 gets None (called back, not errbacked). */
static void case_e_unexpected2(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2"), *d3 = D("d3");
    dl_deferred_chain(d1, d2);
    dl_deferred_chain(d1, d3);
    dl_deferred_add_callback(d2, cb_custom("d2", report, NULL));
    dl_deferred_add_callback(d3, cb_custom("d3", report, NULL));
    dl_deferred_callback(d1, S("hey"));
    assert_log("d2(\"hey\") d3(nil)");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    dl_deferred_release(d3);

    d1 = D("e1");
    d2 = D("e2");
    d3 = D("e3");
    dl_deferred_chain(d1, d2);
    dl_deferred_chain(d1, d3);
    dl_deferred_add_both(d2, REPORT("e2"));
    dl_deferred_add_both(d3, REPORT("e3"));
    dl_value f = dl_fail_value(&dl_type_ValueError, "boom");
    dl_deferred_errback(d1, f);
    dl_release(f);
    assert_log("e2(Failure(ValueError: boom)) e3(nil)");
    assert_result(d1, "nil");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    dl_deferred_release(d3);
}

/* ---- the proposed semantics ------------------------------------------- */

static int proposed(void **state)
{
    setup_engine(state);
    E->semantics = DL_SEMANTICS_PROPOSED;
    return 0;
}

/* boom1: d2 already cancelled, so d1.callback does not fire it: no error. */
static void proposed_boom1(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1");
    dl_deferred *d2 = dl_deferred_new(E, canceller_log("canceller"));
    dl_deferred_set_label(d2, "d2");
    dl_deferred_add_errback(d2, cb_ret("printCancel", dl_none()));
    dl_deferred_chain(d1, d2);
    dl_deferred_cancel(d2);
    assert_int_equal(dl_deferred_callback(d1, S("hey")), 0);
    assert_result(d1, "\"hey\"");
    assert_log("canceller(<Deferred d2 waiting on d1>) printCancel(Failure(CancelledError))");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    assert_int_equal(E->unhandled_reported, 0);
}

/* boom2: firing a chained Deferred directly is refused. */
static void proposed_boom2(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    dl_deferred_chain(d1, d2);
    expect_raise(dl_deferred_callback(d2, S("hey")), DL_EREFUSED, &dl_type_AssertionError);
    assert_false(d2->called);
    assert_int_equal(dl_deferred_callback(d1, S("jude")), 0);
    assert_result(d2, "\"jude\"");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
}

/* uncalled: cancelling d1 calls both cancellers; a later d2.cancel() is a
 * no-op. */
static void proposed_uncalled(void **state)
{
    (void)state;
    dl_deferred *d1 = dl_deferred_new(E, canceller_log("cancel1"));
    dl_deferred *d2 = dl_deferred_new(E, canceller_log("cancel2"));
    dl_deferred_set_label(d1, "d1");
    dl_deferred_set_label(d2, "d2");
    dl_deferred_add_errback(d1, cb_ret("reportCancel_one", dl_none()));
    dl_deferred_add_errback(d2, cb_ret("reportCancel_two", dl_none()));
    dl_deferred_chain(d1, d2);
    dl_deferred_cancel(d1);
    dl_deferred_cancel(d2);
    assert_log("cancel1(<Deferred d1>) cancel2(<Deferred d2 waiting on d1>) "
               "reportCancel_two(Failure(CancelledError)) "
               "reportCancel_one(Failure(CancelledError))");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
}

/* unexpected1: d1's later callbacks see the value, not None. */
static void proposed_unexpected1(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    dl_deferred_chain(d1, d2);
    dl_deferred_add_callback(d1, cb_custom("called", report, NULL));
    dl_deferred_callback(d1, S("hey"));
    assert_log("called(\"hey\")");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
}

/* unexpected2: both chained Deferreds get the value. */
static void proposed_unexpected2(void **state)
{
    (void)state;
    dl_deferred *d1 = D("d1"), *d2 = D("d2"), *d3 = D("d3");
    dl_deferred_add_callback(d2, cb_custom("report2", report, NULL));
    dl_deferred_add_callback(d3, cb_custom("report3", report, NULL));
    dl_deferred_chain(d1, d2);
    dl_deferred_chain(d1, d3);
    dl_deferred_callback(d1, S("hey"));
    assert_log("report2(\"hey\") report3(\"hey\")");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    dl_deferred_release(d3);
}

/* A deep chainDeferred line works at moderate depth (the reference: Twisted
 * recurses per link; conformance only needs ~100). */
static void chain_deferred_depth(void **state)
{
    (void)state;
    enum { N = 1000 };
    dl_deferred *ds[N];
    for (int i = 0; i < N; i++)
        ds[i] = dl_deferred_new(E, dl_passthru());
    for (int i = 0; i + 1 < N; i++)
        dl_deferred_chain(ds[i], ds[i + 1]);
    dl_deferred_callback(ds[0], S("x"));
    assert_result(ds[N - 1], "\"x\"");
    assert_result(ds[0], "nil");
    for (int i = 0; i < N; i++)
        dl_deferred_release(ds[i]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_engine, teardown_engine)
#define P(fn) cmocka_unit_test_setup_teardown(fn, proposed, teardown_engine)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(case_a_boom1_no_canceller), T(case_a_prime_canceller), T(case_b_boom2),
        T(case_c_uncalled),           T(case_d_unexpected1),     T(case_e_unexpected2),
        T(chain_deferred_depth),      P(proposed_boom1),         P(proposed_boom2),
        P(proposed_uncalled),         P(proposed_unexpected1),   P(proposed_unexpected2),
    };
    return cmocka_run_group_tests_name("chainDeferred (2.8)", tests, NULL, NULL);
}
