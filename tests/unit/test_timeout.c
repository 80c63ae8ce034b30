/* test_timeout.c - Deferred.addTimeout with a Clock (reference 2.12, T1-T11,
 * behaviour 40). Expected values were checked against Twisted 22.4. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/timeout.h"

static dl_clock *C;

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

static dl_reactor *clk(void)
{
    return dl_clock_reactor(C);
}

static size_t pending_calls(void)
{
    size_t n;
    dl_clock_calls(C, &n);
    return n;
}

static void handle(dl_deferred *d)
{
    dl_deferred_add_errback(d, cb_ret("handled", dl_none()));
}

static void t1_times_out(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(10), dl_passthru()), 0);
    size_t n;
    dl_delayed_call *const *calls = dl_clock_calls(C, &n);
    assert_int_equal(n, 1);
    assert_true(dl_delayed_call_get_time(calls[0]) == 10.0);
    assert_int_equal(dl_clock_advance(C, 9.999), 0);
    assert_false(d->called);
    assert_int_equal(dl_clock_advance(C, 0.001), 0);
    assert_true(dl_failure_check(d->result, &dl_type_TimeoutError));
    dl_exception *e = dl_failure_of(d->result)->exc;
    assert_string_equal(R(e->args), "{10, \"Deferred\"}");
    assert_string_equal(e->message, "(10, 'Deferred')");
    assert_result(d, "Failure(TimeoutError: (10, 'Deferred'))");
    assert_int_equal(pending_calls(), 0);
    handle(d);
    dl_deferred_release(d);
    assert_int_equal(E->unhandled_reported, 0);
}

static void t2_result_first(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(10), dl_passthru()), 0);
    assert_int_equal(dl_deferred_callback(d, S("ok")), 0);
    assert_result(d, "\"ok\"");
    assert_int_equal(pending_calls(), 0);
    assert_int_equal(dl_clock_advance(C, 20), 0);
    assert_result(d, "\"ok\"");
    dl_deferred_release(d);
}

static void t3_canceller_value_wins(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(E, canceller_callback("c", S("cancel-value")));
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(1), dl_passthru()), 0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_log("c(<Deferred d#1>)");
    assert_result(d, "\"cancel-value\"");
    dl_deferred_release(d);
}

static void t4_canceller_failure_passes(void **state)
{
    (void)state;
    dl_deferred *d = dl_deferred_new(E, canceller_errback("c", &dl_type_KeyError, "k"));
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(1), dl_passthru()), 0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_result(d, "Failure(KeyError: k)");
    handle(d);
    dl_deferred_release(d);
}

static dl_value custom(dl_value arg, void *ud)
{
    (void)ud;
    char buf[64];
    snprintf(buf, sizeof buf, "custom %s", R(dl_list_get(arg, 1)));
    return dl_cstr(buf);
}

static void t5_on_timeout_cancel(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(3), cb_custom("otc", custom, NULL)), 0);
    assert_int_equal(dl_clock_advance(C, 3), 0);
    assert_log("otc({Failure(CancelledError), 3})");
    assert_result(d, "\"custom 3\"");
    dl_deferred_release(d);
}

static void t6_manual_cancel(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(3), cb_log("otc")), 0);
    assert_int_equal(dl_deferred_cancel(d), 0);
    assert_result(d, "Failure(CancelledError)");
    assert_int_equal(pending_calls(), 0);
    assert_int_equal(dl_clock_advance(C, 5), 0);
    assert_log(""); /* onTimeoutCancel never called */
    handle(d);
    dl_deferred_release(d);
}

static void t7_errbacks_before_and_after(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_errback(d, cb_log("before"));
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(2), dl_passthru()), 0);
    dl_deferred_add_errback(d, cb_ret("after", dl_none()));
    assert_int_equal(dl_clock_advance(C, 2), 0);
    assert_log("before(Failure(CancelledError)) after(Failure(TimeoutError: (2, 'Deferred')))");
    dl_deferred_release(d);
}

static void t8_errback_before_suppresses(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_errback(d, cb_ret("before", S("suppressed")));
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(2), dl_passthru()), 0);
    assert_int_equal(dl_clock_advance(C, 2), 0);
    assert_result(d, "\"suppressed\"");
    dl_deferred_release(d);
}

static void t9_timeout_covers_returned_deferred(void **state)
{
    (void)state;
    dl_deferred *inner = dl_deferred_new(E, canceller_log("inner-canceller"));
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_defer("ret-inner", inner));
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(5), dl_passthru()), 0);
    assert_int_equal(dl_deferred_callback(d, S("x")), 0);
    assert_log("ret-inner(\"x\")");
    assert_int_equal(pending_calls(), 1); /* d waits on inner: still covered */
    assert_int_equal(dl_clock_advance(C, 5), 0);
    assert_log("inner-canceller(<Deferred d#1>)");
    assert_result(d, "Failure(TimeoutError: (5, 'Deferred'))");
    assert_result(inner, "nil");
    handle(d);
    dl_deferred_release(d);
    dl_deferred_release(inner);
    assert_int_equal(E->unhandled_reported, 0);
}

static void t10_deferred_returned_after_timeout_not_covered(void **state)
{
    (void)state;
    dl_deferred *inner = dl_deferred_new(E, canceller_log("inner-canceller"));
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(5), dl_passthru()), 0);
    dl_deferred_add_callback(d, cb_defer("ret-inner", inner));
    assert_int_equal(dl_deferred_callback(d, S("x")), 0);
    assert_int_equal(pending_calls(), 0);
    assert_int_equal(dl_clock_advance(C, 10), 0);
    assert_log("ret-inner(\"x\")"); /* inner was never cancelled */
    assert_false(inner->called);
    assert_int_equal(dl_deferred_callback(inner, S("late")), 0);
    assert_result(d, "\"late\"");
    dl_deferred_release(d);
    dl_deferred_release(inner);
}

static void t11_late_result_swallowed(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), I(1), dl_passthru()), 0);
    assert_int_equal(dl_clock_advance(C, 1), 0);
    assert_int_equal(dl_deferred_callback(d, S("x")), 0); /* suppressed once */
    assert_result(d, "Failure(TimeoutError: (1, 'Deferred'))");
    assert_int_equal(dl_deferred_callback(d, S("y")), DL_EALREADYCALLED);
    dl_release(dl_engine_take_raised(E));
    handle(d);
    dl_deferred_release(d);
}

static void float_timeout_and_bad_timeout(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_add_timeout(d, clk(), dl_num(2.5), dl_passthru()), 0);
    assert_int_equal(dl_clock_advance(C, 2.5), 0);
    assert_result(d, "Failure(TimeoutError: (2.5, 'Deferred'))");
    handle(d);
    dl_deferred_release(d);

    dl_deferred *e = D("e");
    assert_int_equal(dl_deferred_add_timeout(e, clk(), dl_num(10.0), dl_passthru()), 0);
    assert_int_equal(dl_clock_advance(C, 10), 0);
    assert_result(e, "Failure(TimeoutError: (10.0, 'Deferred'))");
    handle(e);
    dl_deferred_release(e);

    dl_deferred *f = D("f");
    assert_int_equal(dl_deferred_add_timeout(f, clk(), S("soon"), cb_log("otc")), DL_ETYPE);
    dl_value err = dl_engine_take_raised(E);
    assert_true(dl_failure_check(err, &dl_type_TypeError));
    dl_release(err);
    assert_int_equal(dl_deferred_pending(f), 0);
    assert_int_equal(pending_calls(), 0);
    dl_deferred_release(f);
}

static void default_converter_directly(void **state)
{
    (void)state;
    dl_value plain = dl_cancelled_to_timed_out(S("v"), I(4));
    assert_string_equal(R(plain), "\"v\"");
    dl_release(plain);
    dl_value other = dl_cancelled_to_timed_out(F(&dl_type_KeyError, "k"), I(4));
    assert_string_equal(R(other), "Failure(KeyError: k)");
    dl_release(other);
    dl_value t = dl_cancelled_to_timed_out(F(&dl_type_CancelledError, ""), I(4));
    assert_string_equal(R(t), "Failure(TimeoutError: (4, 'Deferred'))");
    dl_release(t);
    /* Python's str of float timeouts. */
    const struct {
        double x;
        const char *s;
    } nums[] = {{0.25, "(0.25, 'Deferred')"},       {0.1, "(0.1, 'Deferred')"},
                {123.456, "(123.456, 'Deferred')"}, {1e20, "(1e+20, 'Deferred')"},
                {0.0, "(0.0, 'Deferred')"},         {-3.0, "(-3.0, 'Deferred')"}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        t = dl_cancelled_to_timed_out(F(&dl_type_CancelledError, ""), dl_num(nums[i].x));
        assert_string_equal(dl_failure_of(t)->exc->message, nums[i].s);
        dl_release(t);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(t1_times_out),
        T(t2_result_first),
        T(t3_canceller_value_wins),
        T(t4_canceller_failure_passes),
        T(t5_on_timeout_cancel),
        T(t6_manual_cancel),
        T(t7_errbacks_before_and_after),
        T(t8_errback_before_suppresses),
        T(t9_timeout_covers_returned_deferred),
        T(t10_deferred_returned_after_timeout_not_covered),
        T(t11_late_result_swallowed),
        T(float_timeout_and_bad_timeout),
        T(default_converter_directly),
    };
#undef T
    return cmocka_run_group_tests_name("timeout", tests, NULL, NULL);
}
