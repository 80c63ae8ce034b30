/* test_observer.c - DeferredListObserver (txdlo), and the combinators the
 * seed blog builds on it: DeferredList, "N of M fired", "first success,
 * fail only if all fail". */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/dlist.h"
#include "engine/observer.h"

static dl_value count_of(dl_dlo *o)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "%zu/%zu/%zu", dl_dlo_pending_count(o), dl_dlo_success_count(o),
             dl_dlo_failure_count(o));
    return S(buf);
}

static void observer_counts_history_and_order(void **state)
{
    (void)state;
    dl_dlo *o = dl_dlo_new(E, true);
    dl_deferred *a = D("a"), *b = D("b");
    assert_int_equal(dl_dlo_append(o, a), 0);
    assert_int_equal(dl_dlo_observe(o, cb_log("first")), 0);
    assert_int_equal(dl_dlo_append(o, b), 1);
    assert_string_equal(R(count_of(o)), "\"2/0/0\"");

    dl_deferred_callback(b, S("B"));
    assert_log("first({1, true, \"B\"})");
    dl_deferred_errback(a, F(&dl_type_ValueError, "A"));
    assert_log("first({0, false, Failure(ValueError: A)})");
    assert_string_equal(R(count_of(o)), "\"0/1/1\"");
    /* transparent: the results stay where they were */
    assert_result(b, "\"B\"");
    assert_result(a, "Failure(ValueError: A)");
    dl_deferred_add_errback(a, cb_ret("eat", dl_none()));
    clear_log();

    /* Appending at any time; an already-fired one reports inside append(). */
    assert_int_equal(dl_dlo_observe(o, cb_log("second")), 0);
    dl_deferred *c = dl_succeed(E, I(3));
    assert_int_equal(dl_dlo_append(o, c), 2);
    assert_log("first({2, true, 3}) second({2, true, 3})");
    assert_int_equal(dl_dlo_count(o), 3);
    assert_string_equal(R(dl_dlo_history(o)),
                        "{{1, true, \"B\"}, {0, false, Failure(ValueError: A)}, {2, true, 3}}");
    assert_string_equal(R(count_of(o)), "\"0/2/1\"");

    /* Without maintainHistory there is none. */
    dl_dlo *plain = dl_dlo_new(E, false);
    assert_int_equal(dl_dlo_history(plain).kind, DL_NONE);
    dl_obj_release(plain);

    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
    dl_obj_release(o);
    assert_int_equal(E->unhandled_reported, 0);
}

static void observer_that_raises(void **state)
{
    (void)state;
    dl_dlo *o = dl_dlo_new(E, false);
    dl_dlo_observe(o, cb_raise("bad", &dl_type_RuntimeError, "observer broke"));
    dl_dlo_observe(o, cb_log("never"));
    dl_deferred *d = D("d");
    dl_dlo_append(o, d);
    dl_deferred_callback(d, I(1));
    assert_log("bad({0, true, 1})");
    assert_result(d, "Failure(RuntimeError: observer broke)");
    assert_int_equal(dl_dlo_success_count(o), 1);
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(o);
}

/* ---- DeferredList on top of the observer (the blog's own example) -------- */

typedef struct dl_build {
    dl_dlo *o;
    dl_deferred *result;
    size_t n;
} dl_build;

static void deliver_list(dl_build *b)
{
    dl_value list = dl_list_new(b->n);
    for (size_t i = 0; i < b->n; i++)
        dl_list_push(list, dl_none());
    dl_value h = dl_dlo_history(b->o);
    for (size_t i = 0; i < dl_list_len(h); i++) {
        dl_value ev = dl_list_get(h, i);
        dl_list_set(list, (size_t)dl_list_get(ev, 0).u.i,
                    dl_pair_new(dl_retain(dl_list_get(ev, 1)), dl_retain(dl_list_get(ev, 2))));
    }
    dl_deferred_callback(b->result, list);
    dl_release(list);
}

static dl_value list_observer(dl_value ev, void *ud)
{
    (void)ev;
    dl_build *b = ud;
    if (dl_dlo_pending_count(b->o) == 0 && !b->result->called) deliver_list(b);
    return dl_none();
}

/* deferredList(ds): {{success, value}, ...} in input order. */
static dl_deferred *deferred_list(dl_build *b, dl_deferred **ds, size_t n)
{
    b->n = n;
    b->o = dl_dlo_new(E, true);
    b->result = dl_deferred_new(E, dl_passthru());
    for (size_t i = 0; i < n; i++)
        dl_dlo_append(b->o, ds[i]);
    dl_dlo_observe(b->o, cb_custom("observer", list_observer, b));
    if (dl_dlo_pending_count(b->o) == 0) deliver_list(b); /* all had fired */
    return b->result;
}

static void build_deferred_list(void **state)
{
    (void)state;
    dl_deferred *ds[3] = {D("x"), dl_succeed(E, S("early")), D("z")};
    dl_build b;
    dl_deferred *mine = deferred_list(&b, ds, 3);
    dl_deferred *twisted = dl_deferred_list_new(E, ds, 3, DL_DLIST_CONSUME_ERRORS);
    dl_deferred_errback(ds[2], F(&dl_type_KeyError, "z"));
    assert_false(mine->called);
    dl_deferred_callback(ds[0], I(0));
    clear_log();
    assert_result(mine, "{{true, 0}, {true, \"early\"}, {false, Failure(KeyError: z)}}");
    /* the very same answer as the engine's DeferredList */
    assert_string_equal(R(mine->result), R(twisted->result));

    /* already-fired inputs only: the history answers at once */
    dl_deferred *fired[2] = {dl_succeed(E, I(1)), dl_succeed(E, I(2))};
    dl_build b2;
    dl_deferred *mine2 = deferred_list(&b2, fired, 2);
    assert_result(mine2, "{{true, 1}, {true, 2}}");

    for (int i = 0; i < 3; i++)
        dl_deferred_release(ds[i]);
    for (int i = 0; i < 2; i++)
        dl_deferred_release(fired[i]);
    dl_deferred_release(mine);
    dl_deferred_release(mine2);
    dl_deferred_release(twisted);
    dl_obj_release(b.o);
    dl_obj_release(b2.o);
    assert_int_equal(E->unhandled_reported, 0);
}

/* ---- "fire when N of M have fired" ------------------------------------ */

typedef struct n_of_m {
    dl_dlo *o;
    dl_deferred *result;
    size_t n;
    dl_value fired; /* indices in firing order */
} n_of_m;

static dl_value n_observer(dl_value ev, void *ud)
{
    n_of_m *x = ud;
    if (x->result->called) return dl_none();
    dl_list_push(x->fired, dl_retain(dl_list_get(ev, 0)));
    if (dl_list_len(x->fired) == x->n) dl_deferred_callback(x->result, x->fired);
    return dl_none();
}

static void n_of_m_fired(void **state)
{
    (void)state;
    n_of_m x = {dl_dlo_new(E, false), dl_deferred_new(E, dl_passthru()), 2, dl_list_new(2)};
    dl_dlo_observe(x.o, cb_custom("nObserver", n_observer, &x));
    dl_deferred *ds[4] = {D("a"), D("b"), D("c"), D("d")};
    for (int i = 0; i < 4; i++)
        dl_dlo_append(x.o, ds[i]);
    dl_deferred_callback(ds[2], I(2));
    assert_false(x.result->called);
    dl_deferred_errback(ds[0], F(&dl_type_ValueError, "a")); /* a failure counts as fired */
    assert_result(x.result, "{2, 0}");
    assert_int_equal(dl_dlo_pending_count(x.o), 2);
    dl_deferred_callback(ds[3], I(3));
    assert_result(x.result, "{2, 0}");
    dl_deferred_add_errback(ds[0], cb_ret("eat", dl_none()));
    for (int i = 0; i < 4; i++)
        dl_deferred_release(ds[i]);
    dl_deferred_release(x.result);
    dl_release(x.fired);
    dl_obj_release(x.o);
}

/* ---- "first success; fail only if all fail" ---------------------------- */

typedef struct first_ok {
    dl_dlo *o;
    dl_deferred *result;
} first_ok;

static dl_value first_observer(dl_value ev, void *ud)
{
    first_ok *x = ud;
    if (x->result->called) return dl_none();
    dl_value value = dl_list_get(ev, 2);
    if (dl_list_get(ev, 1).u.b) {
        dl_value pair = dl_pair_new(dl_retain(dl_list_get(ev, 0)), dl_retain(value));
        dl_deferred_callback(x->result, pair);
        dl_release(pair);
    } else if (dl_dlo_pending_count(x->o) == 0) {
        dl_deferred_errback(x->result, value); /* the last failure */
    }
    return dl_none();
}

static void first_success_or_all_fail(void **state)
{
    (void)state;
    first_ok x = {dl_dlo_new(E, false), dl_deferred_new(E, dl_passthru())};
    dl_dlo_observe(x.o, cb_custom("firstObserver", first_observer, &x));
    dl_deferred *ds[3] = {D("a"), D("b"), D("c")};
    for (int i = 0; i < 3; i++)
        dl_dlo_append(x.o, ds[i]);
    dl_deferred_errback(ds[1], F(&dl_type_ValueError, "b"));
    assert_false(x.result->called); /* errors are ignored ... */
    dl_deferred_callback(ds[2], S("C"));
    assert_result(x.result, "{2, \"C\"}"); /* ... until the first success */
    dl_deferred_callback(ds[0], S("A"));
    assert_result(x.result, "{2, \"C\"}");

    first_ok y = {dl_dlo_new(E, false), dl_deferred_new(E, dl_passthru())};
    dl_dlo_observe(y.o, cb_custom("firstObserver", first_observer, &y));
    dl_deferred *es[2] = {D("e1"), D("e2")};
    for (int i = 0; i < 2; i++)
        dl_dlo_append(y.o, es[i]);
    dl_deferred_errback(es[0], F(&dl_type_ValueError, "e1"));
    assert_false(y.result->called);
    dl_deferred_errback(es[1], F(&dl_type_KeyError, "e2"));
    assert_result(y.result, "Failure(KeyError: e2)"); /* only when all failed */

    dl_deferred_add_errback(ds[1], cb_ret("eat", dl_none()));
    dl_deferred_add_errback(y.result, cb_ret("eat", dl_none()));
    for (int i = 0; i < 2; i++)
        dl_deferred_add_errback(es[i], cb_ret("eat", dl_none()));
    for (int i = 0; i < 3; i++)
        dl_deferred_release(ds[i]);
    for (int i = 0; i < 2; i++)
        dl_deferred_release(es[i]);
    dl_deferred_release(x.result);
    dl_deferred_release(y.result);
    dl_obj_release(x.o);
    dl_obj_release(y.o);
    assert_int_equal(E->unhandled_reported, 0);
}

static void observer_state_events(void **state)
{
    (void)state;
    record_events();
    dl_dlo *o = dl_dlo_new(E, true);
    dl_deferred *d = D("d");
    dl_dlo_append(o, d);
    dl_dlo_observe(o, cb_log("obs"));
    dl_deferred_callback(d, I(5));
    const char *expect[] = {
        "state d=1 DeferredListObserver {{\"pendingCount\", 0}, {\"successCount\", 0}, "
        "{\"failureCount\", 0}, {\"observers\", 0}, {\"history\", {}}}",
        "state d=1 DeferredListObserver {{\"pendingCount\", 1}, {\"successCount\", 0}, "
        "{\"failureCount\", 0}, {\"observers\", 0}, {\"history\", {}}}",
        "state d=1 DeferredListObserver {{\"pendingCount\", 1}, {\"successCount\", 0}, "
        "{\"failureCount\", 0}, {\"observers\", 1}, {\"history\", {}}}",
        "state d=1 DeferredListObserver {{\"pendingCount\", 0}, {\"successCount\", 1}, "
        "{\"failureCount\", 0}, {\"observers\", 1}, {\"history\", {{0, true, 5}}}}",
    };
    const char *at = EVENTS;
    for (size_t i = 0; i < 4; i++) {
        at = strstr(at, expect[i]);
        assert_non_null(at);
        at += strlen(expect[i]);
    }
    assert_null(strstr(at, "state d=1"));
    dl_value v = dl_dlo_value(o);
    assert_ptr_equal(dl_dlo_of(v), o);
    assert_string_equal(R(v), "<DeferredListObserver #1 pending=0 ok=1 failed=0>");
    dl_release(v);
    dl_deferred_release(d);
    dl_obj_release(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(observer_counts_history_and_order, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(observer_that_raises, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(build_deferred_list, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(n_of_m_fired, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(first_success_or_all_fail, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(observer_state_events, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("observer", tests, NULL, NULL);
}
