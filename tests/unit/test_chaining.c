/* test_chaining.c - reference 2.4 (implicit chaining C1-C11), 2.5
 * (trampoline), 2.6 (re-entrancy R1-R3) and behaviours 17-34. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char repr_buf[256];
static const char *repr_of(dl_deferred *d)
{
    dl_deferred_repr(d, repr_buf, sizeof repr_buf);
    return repr_buf;
}

/* C1: returning an unfired Deferred makes the outer wait. */
static void c1_outer_waits(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(inner, cb_log("inner_before"));
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_callback(outer, I(1));
    assert_int_equal(outer->paused, 1);
    assert_ptr_equal(dl_deferred_chained_to(outer), inner);
    assert_ptr_equal(dl_deferred_of(outer->result), inner);
    /* The continuation went to the END of inner's callbacks. */
    assert_int_equal(dl_deferred_pending(inner), 2);
    dl_deferred_add_callback(outer, cb_log("outer_later"));
    assert_log("ret_inner(1)");
    assert_string_equal(repr_of(outer), "<Deferred outer waiting on inner>");
    dl_deferred_callback(inner, S("v"));
    assert_log("inner_before(\"v\") outer_later(\"v\")");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C2 / behaviour 26: inner's callbacks before the continuation run first;
 * then outer; then inner's later callbacks with None. */
static void c2_async_chain_order(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(inner, cb_log("inner_first"));
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_next"));
    dl_deferred_callback(outer, I(0));
    dl_deferred_add_callback(inner, cb_log("inner_late"));
    dl_deferred_callback(inner, S("r"));
    assert_log("ret_inner(0) inner_first(\"r\") outer_next(\"r\") inner_late(nil)");
    assert_result(inner, "nil");
    assert_result(outer, "\"r\"");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C3 / behaviour 25: a ready, unpaused inner is stolen synchronously. */
static void c3_sync_steal(void **state)
{
    (void)state;
    dl_deferred *inner = dl_succeed(E, S("x"));
    dl_deferred *outer = D("outer");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_next"));
    dl_deferred_callback(outer, I(0));
    assert_int_equal(outer->paused, 0);
    assert_result(inner, "nil");
    dl_deferred_add_callback(inner, cb_log("inner_late"));
    assert_log("ret_inner(0) outer_next(\"x\") inner_late(nil)");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C4 / behaviour 27: a stolen failure goes to outer's errbacks and inner
 * can no longer report it. */
static void c4_sync_error_steal(void **state)
{
    (void)state;
    record_events();
    dl_value f = dl_fail_value(&dl_type_ValueError, "E");
    dl_deferred *inner = dl_fail(E, f);
    dl_release(f);
    assert_true(dl_is_failure(dl_deferred_unhandled(inner)));
    dl_deferred *outer = D("outer");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_errback(outer, cb_ret("outer_eb", dl_none()));
    dl_deferred_callback(outer, I(0));
    assert_log("ret_inner(0) outer_eb(Failure(ValueError: E))");
    assert_true(dl_is_none(dl_deferred_unhandled(inner)));
    dl_deferred_release(inner);
    dl_deferred_release(outer);
    assert_int_equal(E->unhandled_reported, 0);
}

/* C5 / behaviours 17-18: a fired but paused inner is not stolen; outer
 * waits until unpause. */
static void c5_paused_inner_not_stolen(void **state)
{
    (void)state;
    dl_deferred *inner = D("inner");
    dl_deferred_pause(inner);
    dl_deferred_callback(inner, I(2));
    dl_deferred *outer = D("outer");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_next"));
    dl_deferred_callback(outer, I(1));
    assert_log("ret_inner(1)");
    assert_int_equal(outer->paused, 1);
    dl_deferred_unpause(inner);
    assert_log("outer_next(2)");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C6 / behaviour 28: chaining is transitive. */
static void c6_transitive(void **state)
{
    (void)state;
    dl_deferred *first = D("first"), *second = D("second"), *third = D("third");
    dl_deferred_add_callback(second, cb_defer("ret_first", first));
    dl_deferred_callback(second, I(0));
    dl_deferred_add_callback(third, cb_defer("ret_second", second));
    dl_deferred_add_callback(third, cb_log("third_cb"));
    dl_deferred_callback(third, I(0));
    dl_deferred_callback(first, S("R"));
    assert_log("ret_first(0) ret_second(0) third_cb(\"R\")");
    dl_deferred_release(first);
    dl_deferred_release(second);
    dl_deferred_release(third);
}

static dl_value wrap_in_list(dl_value in, void *ud)
{
    (void)ud;
    dl_value l = dl_list_new(1);
    dl_list_push(l, dl_retain(in));
    return l;
}

static dl_value dup_list(dl_value in, void *ud)
{
    (void)ud;
    dl_value l = dl_list_new(2);
    dl_list_push(l, dl_retain(dl_list_get(in, 0)));
    dl_list_push(l, dl_retain(dl_list_get(in, 0)));
    return l;
}

/* C7 / behaviour 29: callbacks already on the inner transform the value. */
static void c7_inner_extra_callbacks(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(inner, cb_custom("listify", wrap_in_list, NULL));
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_sees"));
    dl_deferred_add_callback(outer, cb_custom("dup", dup_list, NULL));
    dl_deferred_callback(outer, I(0));
    dl_deferred_callback(inner, S("withers"));
    assert_log("ret_inner(0) listify(\"withers\") outer_sees({\"withers\"}) dup({\"withers\"})");
    assert_result(outer, "{\"withers\", \"withers\"}");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C8: an errback that returns a Deferred chains just the same. */
static void c8_errback_returns_deferred(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_errback(outer, cb_defer("eb_ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_cb"));
    dl_value f = dl_fail_value(&dl_type_ValueError, "x");
    dl_deferred_errback(outer, f);
    dl_release(f);
    assert_int_equal(outer->paused, 1);
    dl_deferred_callback(inner, S("fixed"));
    assert_log("eb_ret_inner(Failure(ValueError: x)) outer_cb(\"fixed\")");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C9 / behaviour 31: returning the Deferred itself warns, then stalls it
 * forever (chained to itself). */
static dl_deferred *c9_d;
static dl_value return_self(dl_value in, void *ud)
{
    (void)in;
    (void)ud;
    return dl_deferred_value(c9_d);
}

static void c9_return_self_stalls(void **state)
{
    (void)state;
    record_events();
    c9_d = D("d");
    dl_deferred_add_callback(c9_d, cb_custom("ret_self", return_self, NULL));
    dl_deferred_add_callback(c9_d, cb_log("never"));
    dl_deferred_callback(c9_d, I(1));
    assert_log("ret_self(1)");
    assert_int_equal(c9_d->paused, 1);
    assert_ptr_equal(dl_deferred_chained_to(c9_d), c9_d);
    assert_non_null(strstr(EVENTS, "warning d=1"));
    dl_deferred_release(c9_d); /* a cycle: reclaimed by dl_engine_free */
}

/* C10 / behaviour 19: a user-paused outer strands the inner's later
 * callbacks until something re-runs the inner. */
static void c10_paused_outer_strands_inner(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_cb"));
    dl_deferred_callback(outer, I(0));
    dl_deferred_add_callback(inner, cb_log("inner_late"));
    dl_deferred_pause(outer);
    dl_deferred_callback(inner, S("v"));
    assert_log("ret_inner(0)");
    assert_int_equal(outer->paused, 1);
    dl_deferred_unpause(outer);
    assert_log("outer_cb(\"v\")");
    assert_int_equal(dl_deferred_pending(inner), 1);
    dl_deferred_add_callback(inner, cb_log("retrigger"));
    assert_log("inner_late(nil) retrigger(nil)");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* C11 / behaviour 30: _chainedTo is set on chaining and cleared once the
 * waiting Deferred resumes; chainDeferred sets it on the target. */
static void c11_chained_to(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_callback(outer, I(0));
    assert_ptr_equal(dl_deferred_chained_to(outer), inner);
    dl_deferred_callback(inner, I(1));
    assert_null(dl_deferred_chained_to(outer));
    assert_string_equal(repr_of(outer), "<Deferred outer current result: 1>");

    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    dl_deferred_chain(d1, d2);
    assert_ptr_equal(dl_deferred_chained_to(d2), d1);
    assert_string_equal(repr_of(d2), "<Deferred d2 waiting on d1>");
    dl_deferred_callback(d1, I(5));
    assert_null(dl_deferred_chained_to(d2));
    assert_string_equal(repr_of(d2), "<Deferred d2 current result: 5>");
    dl_deferred_release(d1);
    dl_deferred_release(d2);
    dl_deferred_release(inner);
    dl_deferred_release(outer);
    clear_log();
}

/* Behaviour 32: the three repr forms. */
static void b32_repr(void **state)
{
    (void)state;
    dl_deferred *d = D("d1");
    assert_string_equal(repr_of(d), "<Deferred d1>");
    dl_deferred_callback(d, S("orange"));
    assert_string_equal(repr_of(d), "<Deferred d1 current result: \"orange\">");
    dl_deferred *anon = dl_deferred_new(E, dl_passthru());
    char expect[64];
    snprintf(expect, sizeof expect, "<Deferred d#%u>", (unsigned)anon->hdr.id);
    assert_string_equal(repr_of(anon), expect);
    dl_deferred_release(anon);
    dl_deferred_release(d);
}

/* Behaviour 20: the middle Deferred's callbacks run after the innermost
 * fires and before the outer receives the result. */
static void b20_inner_callbacks_preserved(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *middle = D("middle"), *innermost = D("innermost");
    dl_deferred_add_callback(middle, cb_defer("ret_innermost", innermost));
    dl_deferred_add_callback(middle, cb_log("firstCallback"));
    dl_deferred_add_callback(middle, cb_ret("secondCallback", S("orangeorange")));
    dl_deferred_add_callback(outer, cb_defer("start_of_cb", middle));
    dl_deferred_add_callback(outer, cb_log("outer_final"));
    dl_deferred_callback(outer, I(0));
    dl_deferred_callback(middle, I(0));
    dl_deferred_callback(innermost, S("orange"));
    assert_log("start_of_cb(0) ret_innermost(0) firstCallback(\"orange\") "
               "secondCallback(\"orange\") outer_final(\"orangeorange\")");
    dl_deferred_release(innermost);
    dl_deferred_release(middle);
    dl_deferred_release(outer);
}

/* Behaviour 21: callbacks queued after the continuation on the inner run
 * after the outer's chain. */
static void b21_callback_order_preserved(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(inner, cb_log("inner_1"));
    dl_deferred_add_callback(outer, cb_defer("ret_inner", inner));
    dl_deferred_add_callback(outer, cb_log("outer_2"));
    dl_deferred_callback(outer, I(0));
    dl_deferred_add_callback(inner, cb_log("final"));
    dl_deferred_callback(inner, S("x"));
    assert_log("ret_inner(0) inner_1(\"x\") outer_2(\"x\") final(nil)");
    dl_deferred_release(inner);
    dl_deferred_release(outer);
}

/* Behaviour 34: a -> b -> c; callbacks added to the middle Deferred after
 * everything resolved run with None. */
static void b34_middle_after_resolution(void **state)
{
    (void)state;
    dl_deferred *a = D("a"), *b = D("b"), *c = D("c");
    dl_deferred_add_callback(a, cb_defer("ret_b", b));
    dl_deferred_add_callback(b, cb_defer("ret_c", c));
    dl_deferred_callback(a, I(0));
    dl_deferred_callback(b, I(0));
    dl_deferred_callback(c, S("end"));
    dl_deferred_add_callback(b, cb_log("b_late"));
    assert_log("ret_b(0) ret_c(0) b_late(nil)");
    assert_result(a, "\"end\"");
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
}

/* ---- 2.5 trampoline ----------------------------------------------------- */

static uintptr_t depth_probe;
static dl_value probe_stack(dl_value in, void *ud)
{
    (void)ud;
    volatile char here = 0;
    depth_probe = (uintptr_t)&here;
    return dl_retain(in);
}

/* ds[i]'s callback returns ds[i+1]; fire 0..n-2 (each waits), then the leaf.
 * Returns the C stack position at the outermost callback. */
static uintptr_t deep_chain(size_t n, bool check_leaf)
{
    dl_deferred **ds = malloc(n * sizeof *ds);
    for (size_t i = 0; i < n; i++)
        ds[i] = dl_deferred_new(E, dl_passthru());
    for (size_t i = 0; i + 1 < n; i++)
        dl_deferred_add_callback(ds[i], cb_defer("next", ds[i + 1]));
    dl_deferred_add_callback(ds[0], cb_custom("probe", probe_stack, NULL));
    for (size_t i = 0; i + 1 < n; i++)
        dl_deferred_callback(ds[i], dl_none());
    clear_log();
    dl_deferred_callback(ds[n - 1], S("leaf"));
    if (check_leaf) assert_string_equal(R(ds[0]->result), "\"leaf\"");
    for (size_t i = 1; i < n; i++)
        assert_true(dl_is_none(ds[i]->result));
    for (size_t i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
    free(ds);
    clear_log();
    return depth_probe;
}

/* Behaviour 33 + the million-deep chain: the stack position at the outer
 * callback does not depend on the chain's length. */
static void trampoline_flat_stack(void **state)
{
    (void)state;
    uintptr_t two = deep_chain(2, true);
    uintptr_t thousand = deep_chain(1000, true);
    assert_true(two == thousand);
    uintptr_t million = deep_chain(1000000, true);
    assert_true(two == million);
    assert_int_equal(E->live, 0);
}

/* ---- 2.6 re-entrancy ---------------------------------------------------- */

static dl_deferred *r_d;
static dl_value add_x(dl_value in, void *ud)
{
    (void)ud;
    dl_deferred_add_callback(r_d, cb_log("x"));
    logf_("cb1-end ");
    return dl_retain(in);
}

/* R1 / behaviours 22-23: a callback added during a callback runs after the
 * running one returns, after the already-queued ones. */
static void r1_reentrant_add(void **state)
{
    (void)state;
    r_d = D("d");
    dl_deferred_add_callback(r_d, cb_custom("cb1", add_x, NULL));
    dl_deferred_add_callback(r_d, cb_log("cb2"));
    dl_deferred_callback(r_d, I(1));
    assert_log("cb1(1) cb1-end cb2(1) x(1)");
    dl_deferred_release(r_d);
}

static dl_value add_raiser(dl_value in, void *ud)
{
    (void)ud;
    dl_deferred_add_callback(r_d, cb_raise("raiser", &dl_type_ValueError, "re"));
    dl_deferred_add_errback(r_d, cb_ret("eb", S("caught")));
    return dl_retain(in);
}

/* Behaviour 24: a re-entrantly added callback that raises feeds the next
 * errback. */
static void r1_reentrant_raise(void **state)
{
    (void)state;
    r_d = D("d");
    dl_deferred_add_callback(r_d, cb_custom("cb1", add_raiser, NULL));
    dl_deferred_callback(r_d, I(1));
    assert_log("cb1(1) raiser(1) eb(Failure(ValueError: re))");
    assert_result(r_d, "\"caught\"");
    dl_deferred_release(r_d);
}

static dl_deferred *r2_inner;
static dl_value outer_adds_to_inner(dl_value in, void *ud)
{
    (void)ud;
    dl_deferred_add_callback(r2_inner, cb_ret("inner-added-by-outer", S("i1")));
    logf_("outer_cb-end ");
    return dl_retain(in);
}

/* R2: the waiter's callback adds to the inner: the inner's late callbacks
 * run nested, before the outer's callback returns. */
static void r2_nested_run(void **state)
{
    (void)state;
    dl_deferred *outer = D("outer");
    r2_inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("ret_inner", r2_inner));
    dl_deferred_add_callback(outer, cb_custom("outer_cb", outer_adds_to_inner, NULL));
    dl_deferred_callback(outer, I(0));
    dl_deferred_add_callback(r2_inner, cb_log("inner-late-1"));
    dl_deferred_callback(r2_inner, S("V"));
    assert_log("ret_inner(0) outer_cb(\"V\") inner-late-1(nil) inner-added-by-outer(nil) "
               "outer_cb-end");
    dl_deferred_release(r2_inner);
    dl_deferred_release(outer);
}

static dl_deferred *r3_a, *r3_b;
static dl_value a_fires_b(dl_value in, void *ud)
{
    (void)ud;
    (void)in;
    dl_deferred_callback(r3_b, S("B0"));
    logf_("a_cb-sees-a.result=%s ", R(r3_a->result));
    return dl_cstr("a_cb-ret");
}

static dl_value b_returns_a(dl_value in, void *ud)
{
    (void)in;
    (void)ud;
    return dl_deferred_value(r3_a);
}

/* R3: b steals a's current input while a's callback runs; a's callback then
 * overwrites a.result. */
static void r3_steal_mid_callback(void **state)
{
    (void)state;
    r3_a = D("a");
    r3_b = D("b");
    dl_deferred_add_callback(r3_a, cb_custom("a_cb", a_fires_b, NULL));
    dl_deferred_add_callback(r3_a, cb_log("a_next"));
    dl_deferred_add_callback(r3_b, cb_custom("b_cb", b_returns_a, NULL));
    dl_deferred_add_callback(r3_b, cb_log("b_next"));
    dl_deferred_callback(r3_a, S("A0"));
    assert_log("a_cb(\"A0\") b_cb(\"B0\") b_next(\"A0\") a_cb-sees-a.result=nil "
               "a_next(\"a_cb-ret\")");
    dl_deferred_release(r3_a);
    dl_deferred_release(r3_b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_engine, teardown_engine)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(c1_outer_waits),
        T(c2_async_chain_order),
        T(c3_sync_steal),
        T(c4_sync_error_steal),
        T(c5_paused_inner_not_stolen),
        T(c6_transitive),
        T(c7_inner_extra_callbacks),
        T(c8_errback_returns_deferred),
        T(c9_return_self_stalls),
        T(c10_paused_outer_strands_inner),
        T(c11_chained_to),
        T(b32_repr),
        T(b20_inner_callbacks_preserved),
        T(b21_callback_order_preserved),
        T(b34_middle_after_resolution),
        T(trampoline_flat_stack),
        T(r1_reentrant_add),
        T(r1_reentrant_raise),
        T(r2_nested_run),
        T(r3_steal_mid_callback),
    };
    return cmocka_run_group_tests_name("chaining (2.4-2.6)", tests, NULL, NULL);
}
