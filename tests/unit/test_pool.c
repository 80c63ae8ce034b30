/* test_pool.c - DeferredPool, DeferredDict and ControllableDeferred (the
 * seed blog's graceful shutdown, asynchronous dictionary and cancelable
 * Deferred). */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/clock.h"
#include "engine/controllable.h"
#include "engine/ddict.h"
#include "engine/pool.h"
#include "engine/task.h"

static const char *raised(void)
{
    static char buf[256];
    dl_value f = dl_engine_take_raised(E);
    snprintf(buf, sizeof buf, "%s", R(f));
    dl_release(f);
    return buf;
}

/* The STATE lines of EVENTS, with the given structure text, joined by '\n'. */
static const char *states(const char *text)
{
    static char out[16384];
    char key[64];
    snprintf(key, sizeof key, " %s ", text);
    out[0] = '\0';
    for (const char *line = EVENTS; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *hit = strstr(line, key);
        size_t used = strlen(out);
        if (strncmp(line, "state ", 6) == 0 && hit && hit < line + len &&
            used + len + 1 < sizeof out) {
            memcpy(out + used, line, len);
            out[used + len] = '\n';
            out[used + len + 1] = '\0';
        }
        line += len + (end ? 1 : 0);
    }
    return out;
}

/* ===================================================================== */
/* DeferredPool                                                          */
/* ===================================================================== */

static void pool_fires_waiters_when_empty(void **state)
{
    (void)state;
    dl_pool *p = dl_pool_new(E);
    dl_deferred *now = dl_pool_notify_when_empty(p, true);
    assert_result(now, "nil"); /* empty and testImmediately: succeed(None) */

    dl_deferred *d1 = D("d1"), *d2 = D("d2");
    assert_int_equal(dl_pool_add(p, d1), 0);
    assert_int_equal(dl_pool_add(p, d2), 0);
    assert_int_equal(dl_pool_size(p), 2);
    dl_deferred *w1 = dl_pool_notify_when_empty(p, true);
    dl_deferred *w2 = dl_pool_notify_when_empty(p, false);
    dl_deferred_add_callback(w1, cb_log("w1"));
    dl_deferred_add_callback(w2, cb_log("w2"));
    dl_deferred_add_callback(d1, cb_log("user1"));
    assert_int_equal(dl_pool_waiting(p), 2);

    assert_int_equal(dl_deferred_callback(d1, S("a")), 0);
    assert_log("user1(\"a\")"); /* the pass-through is transparent */
    assert_result(d1, "\"a\"");
    assert_int_equal(dl_pool_size(p), 1);
    assert_false(w1->called);

    assert_int_equal(dl_deferred_errback(d2, F(&dl_type_ValueError, "boom")), 0);
    assert_log("w1(nil) w2(nil)"); /* in the order they asked */
    assert_result(d2, "Failure(ValueError: boom)");
    assert_int_equal(dl_pool_size(p), 0);
    assert_int_equal(dl_pool_waiting(p), 0);
    dl_deferred_add_errback(d2, cb_ret("eat", dl_none()));
    clear_log();

    /* The pool can fill and empty again; no waiter, no fuss. */
    dl_deferred *d3 = D("d3");
    dl_pool_add(p, d3);
    dl_deferred_callback(d3, I(3));
    assert_int_equal(dl_pool_size(p), 0);
    assert_int_equal(E->unhandled_reported, 0);

    dl_deferred *xs[] = {now, d1, d2, w1, w2, d3};
    for (size_t i = 0; i < 6; i++)
        dl_deferred_release(xs[i]);
    dl_obj_release(p);
}

static void pool_test_immediately_false_waits(void **state)
{
    (void)state;
    dl_pool *p = dl_pool_new(E);
    dl_deferred *w = dl_pool_notify_when_empty(p, false);
    assert_false(w->called);
    dl_deferred *d = D("d");
    dl_pool_add(p, d);
    dl_deferred_callback(d, I(1));
    assert_result(w, "nil");
    dl_deferred_release(w);
    dl_deferred_release(d);
    dl_obj_release(p);
}

static void pool_edge_cases(void **state)
{
    (void)state;
    dl_pool *p = dl_pool_new(E);
    /* An already-fired Deferred passes straight through. */
    dl_deferred *done = dl_succeed(E, S("x"));
    assert_int_equal(dl_pool_add(p, done), 0);
    assert_int_equal(dl_pool_size(p), 0);
    assert_result(done, "\"x\"");
    /* Adding twice is adding once. */
    dl_deferred *d = D("d");
    dl_pool_add(p, d);
    dl_pool_add(p, d);
    assert_int_equal(dl_pool_size(p), 1);
    assert_true(dl_pool_contains(p, d));
    assert_int_equal(dl_deferred_pending(d), 1);
    /* A cancelled waiter leaves the waiting list. */
    dl_deferred *w = dl_pool_notify_when_empty(p, true);
    dl_deferred_add_errback(w, cb_log("w"));
    assert_int_equal(dl_deferred_cancel(w), 0);
    assert_log("w(Failure(CancelledError))");
    assert_int_equal(dl_pool_waiting(p), 0);
    dl_deferred_callback(d, dl_none());
    assert_int_equal(dl_pool_size(p), 0);
    assert_false(dl_pool_contains(p, d));
    dl_value v = dl_pool_value(p);
    assert_ptr_equal(dl_pool_of(v), p);
    assert_string_equal(R(v), "<DeferredPool #1 size=0 waiting=0>");
    assert_null(dl_pool_of(I(1)));
    dl_release(v);
    dl_deferred_release(done);
    dl_deferred_release(d);
    dl_deferred_release(w);
    dl_obj_release(p);
}

/* The blog's graceful shutdown: stopService waits for the requests in
 * flight; the last one finishes at t=3. */
static dl_value stamp(dl_value in, void *ud)
{
    logf_("@%g ", dl_clock_seconds(ud));
    return dl_retain(in);
}

static void pool_graceful_shutdown(void **state)
{
    (void)state;
    dl_clock *clock = dl_clock_new(E);
    dl_reactor *r = dl_clock_reactor(clock);
    dl_pool *p = dl_pool_new(E);
    const double after[] = {1.0, 3.0, 2.0};
    dl_deferred *req[3];
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "req%d", i + 1);
        req[i] = dl_defer_later(r, after[i], cb_ret(name, I(i + 1)), dl_none());
        dl_pool_add(p, req[i]);
    }
    assert_int_equal(dl_clock_advance(clock, 0.5), 0);
    /* stopService(): stop taking requests, wait for the pool. */
    dl_deferred *stopped = dl_pool_notify_when_empty(p, true);
    dl_deferred_add_callback(stopped, cb_custom("stopped", stamp, clock));
    assert_int_equal(dl_clock_advance(clock, 0.5), 0);
    assert_log("req1(nil)");
    assert_int_equal(dl_pool_size(p), 2);
    assert_int_equal(dl_clock_advance(clock, 1.0), 0);
    assert_log("req3(nil)");
    assert_false(stopped->called);
    assert_int_equal(dl_clock_advance(clock, 1.0), 0);
    assert_log("req2(nil) stopped(nil) @3");
    assert_result(stopped, "nil");
    for (int i = 0; i < 3; i++) {
        assert_result(req[i], R(I(i + 1)));
        dl_deferred_release(req[i]);
    }
    dl_deferred_release(stopped);
    dl_obj_release(p);
    dl_obj_release(clock);
}

static void pool_state_events(void **state)
{
    (void)state;
    record_events();
    dl_pool *p = dl_pool_new(E);
    dl_deferred *d = D("d");
    dl_pool_add(p, d);
    dl_deferred *w = dl_pool_notify_when_empty(p, true);
    dl_deferred_callback(d, I(1));
    assert_string_equal(
        states("DeferredPool"),
        "state d=1 DeferredPool {{\"size\", 0}, {\"pool\", {}}, {\"waiting\", {}}}\n"
        "state d=1 DeferredPool {{\"size\", 1}, {\"pool\", {<Deferred d>}}, "
        "{\"waiting\", {}}}\n"
        "state d=1 DeferredPool {{\"size\", 1}, {\"pool\", {<Deferred d>}}, "
        "{\"waiting\", {<Deferred d#2>}}}\n"
        "state d=1 DeferredPool {{\"size\", 0}, {\"pool\", {}}, {\"waiting\", {}}}\n");
    /* The change is reported before the waiter fires. */
    const char *st = strstr(
        EVENTS,
        "state d=1 DeferredPool {{\"size\", 0}, {\"pool\", {}}, {\"waiting\", {}}}\nfired d=2");
    assert_non_null(st);
    dl_deferred_release(d);
    dl_deferred_release(w);
    dl_obj_release(p);
}

/* ===================================================================== */
/* DeferredDict                                                          */
/* ===================================================================== */

static dl_deferred *dget(dl_ddict *dd, dl_value k)
{
    dl_deferred *d = NULL;
    assert_int_equal(dl_ddict_get(dd, k, &d), 0);
    return d;
}

static void ddict_waiters_then_known(void **state)
{
    (void)state;
    dl_ddict *dd = dl_ddict_new(E);
    dl_deferred *a1 = dget(dd, S("a")), *a2 = dget(dd, S("a")), *b = dget(dd, I(7));
    dl_deferred_add_callback(a1, cb_log("a1"));
    dl_deferred_add_callback(a2, cb_log("a2"));
    dl_deferred_add_callback(b, cb_log("b"));
    assert_int_equal(dl_ddict_waiting(dd, S("a")), 2);
    assert_int_equal(dl_ddict_len(dd), 0);

    /* The producer sets keys in its own order. */
    assert_int_equal(dl_ddict_set(dd, I(7), S("seven")), 0);
    assert_log("b(\"seven\")");
    assert_int_equal(dl_ddict_set(dd, S("a"), I(1)), 0);
    assert_log("a1(1) a2(1)");
    assert_int_equal(dl_ddict_waiting(dd, S("a")), 0);

    /* Later lookups are already fired (succeed). */
    dl_deferred *a3 = dget(dd, S("a"));
    assert_result(a3, "1");
    /* 7.0 is the key 7, as in Lua and Python. */
    dl_deferred *b2 = dget(dd, dl_num(7.0));
    assert_result(b2, "\"seven\"");
    /* Overwriting stores the new value. */
    assert_int_equal(dl_ddict_set(dd, S("a"), I(2)), 0);
    dl_deferred *a4 = dget(dd, S("a"));
    assert_result(a4, "2");
    assert_int_equal(dl_ddict_len(dd), 2);
    assert_true(dl_ddict_has(dd, S("a")));
    assert_false(dl_ddict_has(dd, S("zz")));
    assert_string_equal(R(dl_ddict_lookup(dd, I(7))), "\"seven\"");

    dl_deferred *xs[] = {a1, a2, b, a3, b2, a4};
    for (size_t i = 0; i < 6; i++)
        dl_deferred_release(xs[i]);
    dl_obj_release(dd);
}

static void ddict_bad_keys_and_cancel(void **state)
{
    (void)state;
    dl_ddict *dd = dl_ddict_new(E);
    dl_deferred *d = NULL;
    assert_int_equal(dl_ddict_get(dd, dl_num(1.5), &d), DL_ETYPE);
    assert_null(d);
    assert_string_equal(
        raised(), "Failure(TypeError: DeferredDict keys must be strings or integers, not 1.5)");
    assert_int_equal(dl_ddict_set(dd, dl_bool(true), I(1)), DL_ETYPE);
    dl_release(dl_engine_take_raised(E));

    dl_deferred *w = dget(dd, S("k"));
    dl_deferred_add_errback(w, cb_log("w"));
    assert_int_equal(dl_deferred_cancel(w), 0);
    assert_log("w(Failure(CancelledError))");
    assert_int_equal(dl_ddict_waiting(dd, S("k")), 0);
    assert_int_equal(dl_ddict_set(dd, S("k"), I(5)), 0);
    assert_log(""); /* the cancelled waiter is not fired again */
    dl_deferred_release(w);
    dl_obj_release(dd);
}

/* A waiter's callback looks the key up again: the value is already there. */
static dl_ddict *reentrant_dd;
static dl_deferred *reentrant_inner;

static dl_value look_again(dl_value in, void *ud)
{
    (void)ud;
    dl_ddict_get(reentrant_dd, S("k"), &reentrant_inner);
    return dl_retain(in);
}

static void ddict_value_stored_before_waiters_fire(void **state)
{
    (void)state;
    reentrant_dd = dl_ddict_new(E);
    dl_deferred *w = dget(reentrant_dd, S("k"));
    dl_deferred_add_callback(w, cb_custom("again", look_again, NULL));
    dl_ddict_set(reentrant_dd, S("k"), S("v"));
    assert_log("again(\"v\")");
    assert_result(reentrant_inner, "\"v\"");
    dl_deferred_release(reentrant_inner);
    dl_deferred_release(w);
    dl_obj_release(reentrant_dd);
}

static void ddict_state_events(void **state)
{
    (void)state;
    record_events();
    dl_ddict *dd = dl_ddict_new(E);
    dl_deferred *w = dget(dd, S("x"));
    dl_ddict_set(dd, I(2), S("two"));
    dl_ddict_set(dd, S("x"), I(9));
    assert_string_equal(
        states("DeferredDict"),
        "state d=1 DeferredDict {{\"items\", {}}, {\"waiting\", {}}}\n"
        "state d=1 DeferredDict {{\"items\", {}}, {\"waiting\", {{\"x\", "
        "{<Deferred d#1>}}}}}\n"
        "state d=1 DeferredDict {{\"items\", {{2, \"two\"}}}, {\"waiting\", {{\"x\", "
        "{<Deferred d#1>}}}}}\n"
        "state d=1 DeferredDict {{\"items\", {{\"x\", 9}, {2, \"two\"}}}, "
        "{\"waiting\", {}}}\n");
    dl_value v = dl_ddict_value(dd);
    assert_ptr_equal(dl_ddict_of(v), dd);
    assert_string_equal(R(v), "<DeferredDict #1 keys=2>");
    dl_release(v);
    dl_deferred_release(w);
    dl_obj_release(dd);
}

/* ===================================================================== */
/* ControllableDeferred                                                  */
/* ===================================================================== */

static void controllable_you_fire_first(void **state)
{
    (void)state;
    dl_deferred *orig = dl_deferred_new(E, canceller_log("origCanceller"));
    dl_controllable *c = dl_controllable_new(orig);
    dl_deferred *mine = dl_controllable_deferred(c);
    dl_deferred_add_callback(mine, cb_log("mine"));
    assert_int_equal(dl_controllable_callback(c, S("mine wins")), 0);
    /* ours fires first, then the original is cancelled */
    assert_log("mine(\"mine wins\") origCanceller(<Deferred d#1>)");
    assert_true(dl_controllable_fired(c));
    /* the original's CancelledError is swallowed: nothing unhandled */
    assert_result(orig, "nil");
    /* later attempts do nothing */
    assert_int_equal(dl_controllable_callback(c, I(2)), 0);
    assert_int_equal(dl_controllable_cancel(c), 0);
    assert_result(mine, "\"mine wins\"");
    assert_ptr_equal(dl_controllable_original(c), orig);
    dl_deferred_release(orig);
    dl_obj_release(c);
    assert_int_equal(E->unhandled_reported, 0);
}

static void controllable_original_first(void **state)
{
    (void)state;
    dl_deferred *orig = D("orig");
    dl_controllable *c = dl_controllable_new(orig);
    dl_deferred_add_callback(dl_controllable_deferred(c), cb_log("mine"));
    dl_deferred_callback(orig, I(42));
    assert_log("mine(42)");
    assert_result(orig, "nil"); /* handed over, as chainDeferred leaves it */
    assert_int_equal(dl_controllable_errback(c, F(&dl_type_ValueError, "late")), 0);
    assert_result(dl_controllable_deferred(c), "42");
    dl_deferred_release(orig);
    dl_obj_release(c);

    /* An original that has already failed hands its failure over at once. */
    dl_deferred *failed = dl_fail(E, F(&dl_type_KeyError, "gone"));
    c = dl_controllable_new(failed);
    assert_result(dl_controllable_deferred(c), "Failure(KeyError: gone)");
    assert_result(failed, "nil");
    dl_deferred_add_errback(dl_controllable_deferred(c), cb_ret("eat", dl_none()));
    dl_deferred_release(failed);
    dl_obj_release(c);
    assert_int_equal(E->unhandled_reported, 0);
}

static void controllable_errback_and_cancel(void **state)
{
    (void)state;
    dl_deferred *o1 = D("o1");
    dl_controllable *c1 = dl_controllable_new(o1);
    dl_deferred_add_errback(dl_controllable_deferred(c1), cb_ret("eb1", S("handled")));
    assert_int_equal(dl_controllable_errback(c1, F(&dl_type_ValueError, "mine")), 0);
    assert_log("eb1(Failure(ValueError: mine))");
    assert_result(o1, "nil");
    assert_int_equal(dl_controllable_errback(c1, I(3)), 0); /* fired: ignored */

    dl_deferred *o2 = D("o2");
    dl_controllable *c2 = dl_controllable_new(o2);
    dl_deferred_add_errback(dl_controllable_deferred(c2), cb_ret("eb2", dl_none()));
    assert_int_equal(dl_controllable_cancel(c2), 0);
    assert_log("eb2(Failure(CancelledError))");
    assert_result(o2, "nil");

    /* cancel() on our Deferred itself is the same as c.cancel(). */
    dl_deferred *o3 = dl_deferred_new(E, canceller_log("o3canceller"));
    dl_controllable *c3 = dl_controllable_new(o3);
    dl_deferred_add_errback(dl_controllable_deferred(c3), cb_ret("eb3", dl_none()));
    assert_int_equal(dl_deferred_cancel(dl_controllable_deferred(c3)), 0);
    assert_log("o3canceller(<Deferred d#5>) eb3(Failure(CancelledError))");
    assert_true(dl_controllable_fired(c3));
    assert_result(o3, "nil");

    /* Bad values are refused before anything fires. */
    dl_deferred *o4 = D("o4");
    dl_controllable *c4 = dl_controllable_new(o4);
    assert_int_equal(dl_controllable_errback(c4, I(1)), DL_ETYPE);
    assert_string_equal(raised(), "Failure(TypeError: errback() needs a failure or an exception)");
    assert_int_equal(dl_controllable_callback(c4, dl_obj_value(DL_DEFERRED, o4)), DL_EASSERTION);
    dl_release(dl_engine_take_raised(E));
    assert_false(dl_controllable_fired(c4));
    /* pause holds both */
    dl_controllable_pause(c4);
    dl_deferred_add_callback(dl_controllable_deferred(c4), cb_log("mine4"));
    dl_deferred_callback(o4, I(4));
    assert_log("");
    dl_controllable_unpause(c4);
    assert_log("mine4(4)");

    dl_deferred *os[] = {o1, o2, o3, o4};
    dl_controllable *cs[] = {c1, c2, c3, c4};
    for (int i = 0; i < 4; i++) {
        dl_deferred_release(os[i]);
        dl_obj_release(cs[i]);
    }
    assert_int_equal(E->unhandled_reported, 0);
}

static void controllable_state_events(void **state)
{
    (void)state;
    record_events();
    dl_deferred *o = D("o");
    dl_controllable *c = dl_controllable_new(o);
    dl_controllable_callback(c, I(1));
    assert_string_equal(
        states("ControllableDeferred"),
        "state d=1 ControllableDeferred {{\"deferred\", <Deferred d#2>}, "
        "{\"original\", <Deferred o>}, {\"fired\", false}, {\"by\", nil}}\n"
        "state d=1 ControllableDeferred {{\"deferred\", <Deferred d#2>}, "
        "{\"original\", <Deferred o>}, {\"fired\", true}, {\"by\", \"callback\"}}\n");
    dl_value v = dl_controllable_value(c);
    assert_ptr_equal(dl_controllable_of(v), c);
    assert_string_equal(R(v), "<ControllableDeferred #1 d#2 of o fired>");
    dl_release(v);
    dl_deferred_release(o);
    dl_obj_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pool_fires_waiters_when_empty, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(pool_test_immediately_false_waits, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(pool_edge_cases, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(pool_graceful_shutdown, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(pool_state_events, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(ddict_waiters_then_known, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(ddict_bad_keys_and_cancel, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(ddict_value_stored_before_waiters_fire, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(ddict_state_events, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(controllable_you_fire_first, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(controllable_original_first, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(controllable_errback_and_cancel, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(controllable_state_events, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
