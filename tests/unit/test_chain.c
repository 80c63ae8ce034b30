/* test_chain.c - reference 2.1 (basic chain S1-S8), 2.2 (firing F1-F7),
 * 2.3 (pause P1-P7) and behaviours 1-4, 14-17 of the reference's list of 40. */
#include "helpers.h"

#include <string.h>

/* ---- 2.1 basic chain ---------------------------------------------------- */

static dl_value with_extra_args(dl_value in, void *ud)
{
    logf_("args=%s ", (const char *)ud);
    return dl_retain(in);
}

/* S1 / behaviour 1: extra arguments reach the callback; d is unfired before. */
static void s1_callback_with_args(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_false(d->called);
    assert_int_equal(dl_deferred_add_callback(d, cb_custom("cb", with_extra_args, "A,b=B")), 0);
    assert_false(d->called);
    dl_deferred_callback(d, I(1));
    assert_log("cb(1) args=A,b=B");
    assert_result(d, "1");
    dl_deferred_release(d);
}

/* S2: a raise skips the plain callback; the errback recovers; the next
 * callback gets the recovered value. */
static void s2_raise_skips_then_recovers(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_raise("cb1", &dl_type_ZeroDivisionError, "division by zero"));
    dl_deferred_add_callback(d, cb_log("cb2"));
    dl_deferred_add_errback(d, cb_ret("eb", S("recovered")));
    dl_deferred_add_callback(d, cb_log("cb3"));
    dl_deferred_callback(d, I(1));
    assert_log("cb1(1) eb(Failure(ZeroDivisionError: division by zero)) cb3(\"recovered\")");
    dl_deferred_release(d);
}

/* S3: only one slot of a pair runs: the sibling errback does not see the
 * failure raised by its own callback. */
static void s3_sibling_errback_not_called(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callbacks(d, cb_raise("cb", &dl_type_ValueError, "x"), cb_log("eb_sibling"));
    dl_deferred_add_callbacks(d, cb_log("cb2"), cb_ret("eb2", dl_none()));
    dl_deferred_callback(d, I(0));
    assert_log("cb(0) eb2(Failure(ValueError: x))");
    dl_deferred_release(d);
}

/* S4 / behaviour 16: returning a Failure takes the error path like raising. */
static void s4_returning_failure(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_ret("cb", F(&dl_type_ValueError, "v")));
    dl_deferred_add_callback(d, cb_log("skipped"));
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_callback(d, I(0));
    assert_log("cb(0) eb(Failure(ValueError: v))");
    assert_result(d, "nil");
    dl_deferred_release(d);
}

/* S5: an errback returning its failure keeps the error path; addBoth sees
 * failures and values alike. */
static void s5_addboth_sees_both(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_errback(d, cb_log("eb1"));
    dl_deferred_add_errback(d, cb_raise("eb2", &dl_type_KeyError, "k"));
    dl_deferred_add_both(d, cb_ret("f", S("ok")), cb_ret("f", S("ok")));
    dl_deferred_add_both(d, cb_log("g"), cb_log("g"));
    dl_value f = dl_fail_value(&dl_type_ValueError, "bad");
    dl_deferred_errback(d, f);
    dl_release(f);
    assert_log("eb1(Failure(ValueError: bad)) eb2(Failure(ValueError: bad)) "
               "f(Failure(KeyError: k)) g(\"ok\")");
    dl_deferred_release(d);
}

static dl_value times_two(dl_value in, void *ud)
{
    (void)ud;
    return dl_int(in.u.i * 2);
}

/* S6 / behaviour 14: succeed() runs an added callback synchronously. */
static void s6_succeed_runs_synchronously(void **state)
{
    (void)state;
    dl_deferred *d = dl_succeed(E, I(5));
    dl_deferred_add_callback(d, cb_custom("double", times_two, NULL));
    assert_log("double(5)");
    assert_result(d, "10");
    dl_deferred_release(d);
}

/* trap(types...) as an errback: the matching type becomes the result; no
 * match re-raises a new Failure around the same exception. */
static dl_errtype *trap_types[3];
static dl_value trap(dl_value in, void *ud)
{
    (void)ud;
    for (int i = 0; trap_types[i]; i++)
        if (dl_failure_check(in, trap_types[i]))
            return dl_obj_value(DL_ERRTYPE, dl_failure_type(in)); /* immortal builtin */
    dl_failure *f = dl_failure_new(dl_failure_of(in)->exc, NULL);
    return dl_obj_value(DL_FAILURE, f);
}

static dl_exception *seen_exc;
static dl_value note_exception(dl_value in, void *ud)
{
    (void)ud;
    seen_exc = dl_failure_of(in)->exc;
    return dl_none();
}

/* S7 / behaviour 38 (trap): re-raising keeps the exception object. */
static void s7_trap_keeps_exception_identity(void **state)
{
    (void)state;
    dl_value f = dl_fail_value(&dl_type_ValueError, "v");
    dl_exception *orig = dl_failure_of(f)->exc;
    dl_deferred *d = dl_fail(E, f);
    trap_types[0] = &dl_type_KeyError;
    trap_types[1] = NULL;
    dl_deferred_add_errback(d, cb_custom("trap", trap, NULL));
    dl_deferred_add_errback(d, cb_custom("next", note_exception, NULL));
    assert_ptr_equal(seen_exc, orig);
    dl_deferred_release(d);

    d = dl_fail(E, f);
    trap_types[0] = &dl_type_KeyError;
    trap_types[1] = &dl_type_ValueError;
    trap_types[2] = NULL;
    dl_deferred_add_errback(d, cb_custom("trap", trap, NULL));
    assert_result(d, "ValueError");
    dl_deferred_release(d);
    dl_release(f);
    clear_log();
}

/* Behaviour 2: each callback receives the previous one's return value. */
static void b2_two_callbacks(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_ret("a", S("A")));
    dl_deferred_add_callback(d, cb_ret("b", S("B")));
    dl_deferred_callback(d, S("start"));
    assert_log("a(\"start\") b(\"A\")");
    assert_result(d, "\"B\"");
    dl_deferred_release(d);
}

/* Behaviour 3: a pass-through (None) errback passes a failure on unchanged
 * and the paired callback does not run. */
static void b3_none_errback_passes_failure(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callbacks(d, cb_log("cb"), dl_passthru());
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_value f = dl_fail_value(&dl_type_ValueError, "x");
    dl_deferred_errback(d, f);
    assert_log("eb(Failure(ValueError: x))");
    dl_release(f);
    dl_deferred_release(d);
}

/* ---- 2.2 firing rules --------------------------------------------------- */

static void expect_already_called(int rc)
{
    assert_int_equal(rc, DL_EALREADYCALLED);
    dl_value raised = dl_engine_take_raised(E);
    assert_true(dl_failure_check(raised, &dl_type_AlreadyCalledError));
    /* Twisted without debugging: e.args == () */
    assert_int_equal(dl_list_len(dl_failure_of(raised)->exc->args), 0);
    dl_release(raised);
}

/* F1 / behaviour 37: CC, CE, EC, EE all raise AlreadyCalledError. */
static void f1_second_fire_raises(void **state)
{
    (void)state;
    dl_value f = dl_fail_value(&dl_type_ValueError, "x");
    for (int first = 0; first < 2; first++) {
        for (int second = 0; second < 2; second++) {
            dl_deferred *d = D("d");
            dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
            if (first)
                dl_deferred_errback(d, f);
            else
                dl_deferred_callback(d, I(1));
            expect_already_called(second ? dl_deferred_errback(d, f)
                                         : dl_deferred_callback(d, I(2)));
            dl_deferred_release(d);
        }
    }
    dl_release(f);
    clear_log();
}

static dl_deferred *self_d;
static dl_value fire_self(dl_value in, void *ud)
{
    (void)in;
    (void)ud;
    int rc = dl_deferred_callback(self_d, I(99));
    if (rc) return dl_engine_take_raised(E);
    return dl_none();
}

/* F3: a callback firing its own Deferred gets AlreadyCalledError inside the
 * chain, not at the outer caller. */
static void f3_callback_fires_own_deferred(void **state)
{
    (void)state;
    self_d = D("d");
    dl_deferred_add_callback(self_d, cb_custom("cb", fire_self, NULL));
    assert_int_equal(dl_deferred_callback(self_d, I(1)), 0);
    assert_result(self_d, "Failure(AlreadyCalledError)");
    dl_deferred_add_errback(self_d, cb_ret("eb", dl_none())); /* handle it */
    dl_deferred_release(self_d);
    clear_log();
}

/* F4: callback(aDeferred) is rejected with AssertionError (22.4 asserts). */
static void f4_callback_with_deferred_rejected(void **state)
{
    (void)state;
    dl_deferred *d = D("d"), *other = D("other");
    dl_value ov = dl_deferred_value(other);
    assert_int_equal(dl_deferred_callback(d, ov), DL_EASSERTION);
    dl_value raised = dl_engine_take_raised(E);
    assert_true(dl_failure_check(raised, &dl_type_AssertionError));
    assert_false(d->called);
    dl_release(raised);
    dl_release(ov);
    dl_deferred_release(other);
    dl_deferred_release(d);
}

/* F5 (engine level): errback with something that is not a failure or an
 * exception is a TypeError and leaves the Deferred unfired. */
static void f5_errback_needs_failure(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    assert_int_equal(dl_deferred_errback(d, I(3)), DL_ETYPE);
    dl_value raised = dl_engine_take_raised(E);
    assert_true(dl_failure_check(raised, &dl_type_TypeError));
    assert_false(d->called);
    dl_release(raised);
    dl_deferred_release(d);
}

/* F6: errback(exception instance) wraps it; args are kept. */
static void f6_errback_with_exception(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_exception *e = dl_exception_new(&dl_type_ValueError, "inst", dl_none());
    dl_deferred_errback(d, dl_obj_value(DL_EXC, e));
    dl_failure *f = dl_failure_of(d->result);
    assert_non_null(f);
    assert_ptr_equal(f->exc, e);
    assert_int_equal(dl_list_len(e->args), 1);
    assert_string_equal(dl_str_cstr(dl_list_get(e->args, 0)), "inst");
    dl_obj_release(e);
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    dl_deferred_release(d);
    clear_log();
}

/* F7: callback(aFailure) behaves exactly like errback. */
static void f7_callback_with_failure(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callbacks(d, cb_log("cb"), cb_ret("eb", dl_none()));
    dl_value f = dl_fail_value(&dl_type_KeyError, "k");
    dl_deferred_callback(d, f);
    dl_release(f);
    assert_log("eb(Failure(KeyError: k))");
    dl_deferred_release(d);
}

/* ---- 2.3 pause / unpause ------------------------------------------------ */

/* P1-P3: two pauses need two unpauses. */
static void p1_p3_pause_counts(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_pause(d);
    dl_deferred_pause(d);
    dl_deferred_add_callback(d, cb_log("cb"));
    dl_deferred_callback(d, S("v"));
    assert_log("");
    assert_int_equal(d->paused, 2);
    assert_true(d->called);
    dl_deferred_unpause(d);
    assert_int_equal(d->paused, 1);
    assert_log("");
    dl_deferred_unpause(d);
    assert_int_equal(d->paused, 0);
    assert_log("cb(\"v\")");
    dl_deferred_release(d);
}

/* P4 / behaviour 15: a paused failed Deferred runs an added errback only
 * at unpause. */
static void p4_paused_failure(void **state)
{
    (void)state;
    dl_value f = dl_fail_value(&dl_type_ValueError, "x");
    dl_deferred *d = dl_fail(E, f);
    dl_release(f);
    dl_deferred_pause(d);
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    assert_log("");
    dl_deferred_unpause(d);
    assert_log("eb(Failure(ValueError: x))");
    dl_deferred_release(d);
}

/* P5: pause/unpause before firing is a no-op; callbacks run at callback(). */
static void p5_unpause_before_callback(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_pause(d);
    dl_deferred_add_callback(d, cb_log("cb"));
    dl_deferred_unpause(d);
    assert_log("");
    dl_deferred_callback(d, I(1));
    assert_log("cb(1)");
    dl_deferred_release(d);
}

/* P6: the counter is signed and never clamped; any non-zero value blocks. */
static void p6_negative_pause_blocks(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_unpause(d);
    assert_int_equal(d->paused, -1);
    dl_deferred_add_callback(d, cb_log("cb"));
    dl_deferred_callback(d, I(1));
    assert_log("");
    dl_deferred_pause(d);
    assert_int_equal(d->paused, 0);
    assert_log(""); /* pause() never runs anything */
    dl_deferred_unpause(d);
    assert_int_equal(d->paused, -1);
    assert_log("");
    dl_deferred_release(d);
}

/* P7: waiting on a returned Deferred adds 1; a user pause is separate. */
static void p7_chaining_adds_one(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_callback(outer, I(1));
    assert_int_equal(outer->paused, 1);
    dl_deferred_pause(outer);
    assert_int_equal(outer->paused, 2);
    dl_deferred_unpause(outer);
    dl_deferred_callback(inner, I(2));
    assert_int_equal(outer->paused, 0);
    assert_result(outer, "2");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
    clear_log();
}

/* Behaviour 4: an engine-level pass-through in either slot of addCallbacks
 * leaves the result untouched. */
static void b4_passthru_slots(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callbacks(d, dl_passthru(), cb_log("eb"));
    dl_deferred_add_callback(d, cb_log("cb"));
    dl_deferred_callback(d, S("x"));
    assert_log("cb(\"x\")");
    dl_deferred_release(d);
}

/* A callback added while the Deferred is paused waits; a callback added
 * after firing runs at once (behaviour 14's other half: fail()). */
static void b14_fail_runs_errback_synchronously(void **state)
{
    (void)state;
    dl_value f = dl_fail_value(&dl_type_ValueError, "now");
    dl_deferred *d = dl_fail(E, f);
    dl_release(f);
    dl_deferred_add_errback(d, cb_ret("eb", dl_none()));
    assert_log("eb(Failure(ValueError: now))");
    assert_result(d, "nil");
    dl_deferred_release(d);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_engine, teardown_engine)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(s1_callback_with_args),
        T(s2_raise_skips_then_recovers),
        T(s3_sibling_errback_not_called),
        T(s4_returning_failure),
        T(s5_addboth_sees_both),
        T(s6_succeed_runs_synchronously),
        T(s7_trap_keeps_exception_identity),
        T(b2_two_callbacks),
        T(b3_none_errback_passes_failure),
        T(f1_second_fire_raises),
        T(f3_callback_fires_own_deferred),
        T(f4_callback_with_deferred_rejected),
        T(f5_errback_needs_failure),
        T(f6_errback_with_exception),
        T(f7_callback_with_failure),
        T(p1_p3_pause_counts),
        T(p4_paused_failure),
        T(p5_unpause_before_callback),
        T(p6_negative_pause_blocks),
        T(p7_chaining_adds_one),
        T(b4_passthru_slots),
        T(b14_fail_runs_errback_synchronously),
    };
    return cmocka_run_group_tests_name("chain (2.1-2.3)", tests, NULL, NULL);
}
