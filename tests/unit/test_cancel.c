/* test_cancel.c - reference 2.7 (X1-X13) and behaviour 38. */
#include "helpers.h"

static void expect_raise(int rc, int code, dl_errtype *t)
{
    assert_int_equal(rc, code);
    dl_value raised = dl_engine_take_raised(E);
    assert_true(dl_failure_check(raised, t));
    dl_release(raised);
}

/* X1-X3 / test_noCanceller, test_raisesAfterCancelAndCallback: no canceller
 * errbacks CancelledError; exactly one late fire is swallowed. */
static void x1_x3_no_canceller(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callbacks(d, cb_log("cb"), cb_ret("eb", S("handled")));
    assert_int_equal(dl_deferred_cancel(d), 0);
    assert_log("eb(Failure(CancelledError))");
    assert_true(d->called);
    assert_true(d->suppress);
    assert_int_equal(dl_deferred_callback(d, S("late")), 0); /* swallowed */
    assert_false(d->suppress);
    assert_result(d, "\"handled\"");
    assert_log("");
    expect_raise(dl_deferred_callback(d, S("later")), DL_EALREADYCALLED,
                 &dl_type_AlreadyCalledError);
    dl_deferred_release(d);
}

/* X4: repeated cancels are no-ops; one errback is swallowed the same way. */
static void x4_multiple_cancels(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_cancel(d);
    dl_deferred_cancel(d);
    dl_deferred_cancel(d);
    assert_log("eb(Failure(CancelledError))");
    dl_value f = dl_fail_value(&dl_type_ValueError, "late");
    assert_int_equal(dl_deferred_errback(d, f), 0);
    dl_deferred_cancel(d);
    expect_raise(dl_deferred_errback(d, f), DL_EALREADYCALLED, &dl_type_AlreadyCalledError);
    dl_release(f);
    dl_deferred_release(d);
}

/* X5 / test_cancellerArg: a canceller that does not fire is called once
 * with d; then CancelledError; no suppression. */
static void x5_canceller_not_firing(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(E, canceller_log("canceller"));
    dl_deferred_set_label(d, "d");
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_cancel(d);
    dl_deferred_cancel(d);
    assert_log("canceller(<Deferred d>) eb(Failure(CancelledError))");
    expect_raise(dl_deferred_callback(d, S("late")), DL_EALREADYCALLED,
                 &dl_type_AlreadyCalledError);
    dl_deferred_release(d);
}

/* X6: a canceller that calls back wins: no CancelledError. */
static void x6_canceller_callbacks(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(E, canceller_callback("canceller", S("from canceller")));
    dl_deferred_set_label(d, "d");
    dl_deferred_add_callbacks(d, cb_log("cb"), cb_log("eb"));
    dl_deferred_cancel(d);
    assert_log("canceller(<Deferred d>) cb(\"from canceller\")");
    dl_deferred_release(d);
}

/* X7: a canceller that errbacks: the errbacks get its failure. */
static void x7_canceller_errbacks(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(E, canceller_errback("canceller", &dl_type_KeyError, "k"));
    dl_deferred_set_label(d, "d");
    dl_deferred_add_callbacks(d, cb_log("cb"), cb_ret("eb", dl_none()));
    dl_deferred_cancel(d);
    assert_log("canceller(<Deferred d>) eb(Failure(KeyError: k))");
    dl_deferred_release(d);
}

/* X8: a raising canceller: cancel() raises, d stays unfired. */
static void x8_canceller_raises(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(
        E, canceller_raise("canceller", &dl_type_ZeroDivisionError, "division by zero"));
    expect_raise(dl_deferred_cancel(d), DL_ERAISED, &dl_type_ZeroDivisionError);
    assert_false(d->called);
    clear_log();
    dl_deferred_release(d);
}

/* X9: cancel after callback or errback is a no-op. */
static void x9_cancel_after_fire(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(E, canceller_log("canceller"));
    dl_deferred_callback(d, I(1));
    dl_deferred_cancel(d);
    assert_result(d, "1");
    dl_value f = dl_fail_value(&dl_type_ValueError, "x");
    dl_deferred *e = dl_fail(E, f);
    dl_deferred_cancel(e);
    assert_result(e, "Failure(ValueError: x)");
    dl_deferred_add_errback(e, cb_ret("eb", dl_none()));
    dl_release(f);
    assert_log("eb(Failure(ValueError: x))");
    dl_deferred_release(d);
    dl_deferred_release(e);
}

/* X10 / test_cancelNestedDeferred: cancelling a waiting outer cancels the
 * inner with the inner's canceller; the outer's canceller is not called. */
static void x10_cancel_nested(void **state)
{
    (void)state;
    dl_deferred *outer = dl_deferred_new(E, canceller_log("outer_canceller"));
    dl_deferred *inner = dl_deferred_new(E, canceller_log("inner_canceller"));
    dl_deferred_set_label(outer, "outer");
    dl_deferred_set_label(inner, "inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_errback(outer, cb_ret("outer_eb", dl_none()));
    dl_deferred_callback(outer, I(0));
    dl_deferred_cancel(outer);
    assert_log("ret_inner(0) inner_canceller(<Deferred inner>) outer_eb(Failure(CancelledError))");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* X10 variants: an inner without canceller swallows one late fire; an
 * inner canceller that calls back gives its value to the outer. */
static void x10_variants(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_errback(outer, cb_ret("outer_eb", dl_none()));
    dl_deferred_callback(outer, I(0));
    dl_deferred_cancel(outer);
    assert_int_equal(dl_deferred_callback(inner, S("late")), 0);
    assert_log("ret_inner(0) outer_eb(Failure(CancelledError))");
    dl_deferred_release(inner);
    dl_deferred_release(outer);

    outer = D("outer2");
    inner = dl_deferred_new(E, canceller_callback("inner_canceller", S("value")));
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_cb"));
    dl_deferred_callback(outer, I(0));
    dl_deferred_cancel(outer);
    assert_log("ret_inner(0) inner_canceller(<Deferred d#4>) outer_cb(\"value\")");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* X11: three levels a -> b -> c: a.cancel() reaches c's canceller. */
static void x11_three_levels(void **state)
{
    (void)state;
    dl_deferred *a = D("a"), *b = D("b");
    dl_deferred *c = dl_deferred_new(E, canceller_log("c_canceller"));
    dl_deferred_set_label(c, "c");
    dl_deferred_add_callback(b, cb_defer("ret_c", c));
    dl_deferred_callback(b, I(0));
    dl_deferred_add_callback(a, cb_defer("ret_b", b));
    dl_deferred_add_errback(a, cb_ret("a_eb", dl_none()));
    dl_deferred_callback(a, I(0));
    dl_deferred_cancel(a);
    assert_log("ret_c(0) ret_b(0) c_canceller(<Deferred c>) a_eb(Failure(CancelledError))");
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
}

/* X12: cancelling a paused Deferred that has a result is a no-op. */
static void x12_paused_with_result(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_pause(d);
    dl_deferred_callback(d, I(1));
    dl_deferred_cancel(d);
    assert_int_equal(d->paused, 1);
    assert_result(d, "1");
    dl_deferred_release(d);
}

/* X13: outer waits on a paused inner that has a result: cancel is a no-op
 * and the outer keeps waiting. */
static void x13_waiting_on_paused_inner(void **state)
{
    (void)state;
    dl_deferred *inner = D("inner");
    dl_deferred_pause(inner);
    dl_deferred_callback(inner, I(1));
    dl_deferred *outer = D("outer");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_callback(outer, I(0));
    dl_deferred_cancel(outer);
    assert_int_equal(outer->paused, 1);
    assert_ptr_equal(dl_deferred_of(outer->result), inner);
    dl_deferred_unpause(inner);
    assert_result(outer, "1");
    clear_log();
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* A cancel of a million-deep wait walks the links without recursing. */
static void cancel_deep_wait(void **state)
{
    (void)state;
    enum { N = 200000 };
    static dl_deferred *ds[N];
    for (int i = 0; i < N; i++)
        ds[i] = dl_deferred_new(E, dl_passthru());
    for (int i = 0; i + 1 < N; i++)
        dl_deferred_add_callback(ds[i], cb_defer("next", ds[i + 1]));
    for (int i = 0; i + 1 < N; i++)
        dl_deferred_callback(ds[i], dl_none());
    clear_log();
    dl_deferred_add_errback(ds[0], cb_ret("top_eb", dl_none()));
    dl_deferred_cancel(ds[0]);
    assert_log("top_eb(Failure(CancelledError))");
    for (int i = 0; i < N; i++)
        dl_deferred_release(ds[i]);
}

/* Waiting links that form a cycle: Twisted recurses until RecursionError;
 * the engine raises RuntimeError instead of walking round forever. */
static void cancel_wait_cycle_raises(void **state)
{
    (void)state;
    dl_deferred *a = D("a"), *b = D("b");
    dl_deferred_add_callback(a, cb_defer("ret_b", b));
    dl_deferred_add_callback(b, cb_defer("ret_a", a));
    dl_deferred_callback(a, I(1));
    dl_deferred_callback(b, I(2));
    expect_raise(dl_deferred_cancel(a), DL_ERUNTIME, &dl_type_RuntimeError);
    assert_int_equal(a->paused, 1);
    clear_log();
    dl_deferred_release(a);
    dl_deferred_release(b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_engine, teardown_engine)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(x1_x3_no_canceller),     T(x4_multiple_cancels),      T(x5_canceller_not_firing),
        T(x6_canceller_callbacks), T(x7_canceller_errbacks),    T(x8_canceller_raises),
        T(x9_cancel_after_fire),   T(x10_cancel_nested),        T(x10_variants),
        T(x11_three_levels),       T(x12_paused_with_result),   T(x13_waiting_on_paused_inner),
        T(cancel_deep_wait),       T(cancel_wait_cycle_raises),
    };
    return cmocka_run_group_tests_name("cancel (2.7)", tests, NULL, NULL);
}
