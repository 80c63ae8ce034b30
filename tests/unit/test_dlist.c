/* test_dlist.c - DeferredList, gatherResults, race (reference 1.3, 2.10,
 * X14, behaviours 5-13 and 35). DeferredList cases were checked against
 * Twisted 22.4; race follows the reference (Twisted 23.8+). */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/dlist.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void release_all(dl_deferred **ds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
}

/* Make a failure harmless so it is not reported at teardown. */
static void handle(dl_deferred *d)
{
    dl_deferred_add_errback(d, cb_ret("handled", dl_none()));
}

/* ---- DeferredList shapes (2.10.1) --------------------------------------- */

static void l1_list_order_regardless_of_firing(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b"), D("c")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 3, 0);
    dl_deferred_add_callback(dl, cb_log("dl"));
    assert_int_equal(dl_deferred_callback(ds[2], S("C")), 0);
    assert_int_equal(dl_deferred_errback(ds[0], F(&dl_type_ValueError, "A")), 0);
    assert_int_equal(dl_deferred_list_finished(dl), 2);
    assert_false(dl->called);
    assert_int_equal(dl_deferred_callback(ds[1], S("B")), 0);
    assert_log("dl({{false, Failure(ValueError: A)}, {true, \"B\"}, {true, \"C\"}})");
    assert_result(ds[0], "Failure(ValueError: A)");
    assert_result(ds[2], "\"C\"");
    /* The result is the very resultList object. */
    assert_true(dl_same(dl->result, dl_deferred_list_results(dl)));
    assert_string_equal(dl_deferred_class_name(dl), "DeferredList");
    assert_true(dl_is_deferred_list(dl));
    assert_false(dl_is_deferred_list(ds[0]));
    /* a still holds its Failure: it is reported when a goes away. */
    assert_true(dl_is_failure(dl_deferred_unhandled(ds[0])));
    dl_deferred_release(dl);
    release_all(ds, 3);
    assert_int_equal(E->unhandled_reported, 1);
}

static void l2_consume_errors(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_CONSUME_ERRORS);
    assert_int_equal(dl_deferred_errback(ds[0], F(&dl_type_ValueError, "A")), 0);
    assert_int_equal(dl_deferred_callback(ds[1], S("B")), 0);
    assert_result(dl, "{{false, Failure(ValueError: A)}, {true, \"B\"}}");
    assert_result(ds[0], "nil");
    assert_true(dl_is_none(dl_deferred_unhandled(ds[0])));
    dl_deferred_release(dl);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void l3_fire_on_one_callback(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_CALLBACK);
    dl_deferred_add_callback(dl, cb_log("dl"));
    assert_int_equal(dl_deferred_callback(ds[1], S("B")), 0);
    assert_log("dl({\"B\", 1})");
    assert_int_equal(dl_deferred_callback(ds[0], S("A")), 0);
    assert_log("");
    assert_string_equal(R(dl_deferred_list_results(dl)), "{{true, \"A\"}, {true, \"B\"}}");
    assert_int_equal(dl_deferred_list_finished(dl), 2);
    assert_result(ds[0], "\"A\"");
    assert_result(ds[1], "\"B\"");
    dl_deferred_release(dl);
    release_all(ds, 2);
}

static void l3b_fire_on_one_callback_all_fail(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_CALLBACK);
    assert_int_equal(dl_deferred_errback(ds[0], F(&dl_type_ValueError, "1")), 0);
    assert_int_equal(dl_deferred_errback(ds[1], F(&dl_type_ValueError, "2")), 0);
    assert_result(dl, "{{false, Failure(ValueError: 1)}, {false, Failure(ValueError: 2)}}");
    handle(ds[0]);
    handle(ds[1]);
    dl_deferred_release(dl);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void l4_fire_on_one_errback(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_ERRBACK);
    assert_int_equal(dl_deferred_callback(ds[0], S("A")), 0);
    assert_false(dl->called); /* not before the first failure (behaviour 7) */
    dl_value kb = F(&dl_type_KeyError, "kb");
    assert_int_equal(dl_deferred_errback(ds[1], kb), 0);
    assert_true(dl_failure_check(dl->result, &dl_type_FirstError));
    dl_exception *e = dl_failure_of(dl->result)->exc;
    assert_string_equal(e->message, "FirstError[#1, Failure(KeyError: kb)]");
    assert_int_equal(dl_list_len(e->args), 2);
    assert_true(dl_same(dl_list_get(e->args, 0), kb)); /* the same Failure object */
    assert_int_equal(dl_list_get(e->args, 1).u.i, 1);
    assert_true(dl_same(ds[1]->result, kb)); /* b keeps its Failure */
    handle(ds[1]);
    handle(dl);
    dl_deferred_release(dl);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void l5_empty(void **state)
{
    (void)state;
    dl_deferred *plain = dl_deferred_list_new(E, NULL, 0, 0);
    assert_result(plain, "{}");
    dl_deferred *foc = dl_deferred_list_new(E, NULL, 0, DL_DLIST_FIRE_ON_ONE_CALLBACK);
    assert_false(foc->called); /* never fires */
    dl_deferred *foe = dl_deferred_list_new(E, NULL, 0, DL_DLIST_FIRE_ON_ONE_ERRBACK);
    assert_result(foe, "{}");
    dl_deferred_release(plain);
    dl_deferred_release(foc);
    dl_deferred_release(foe);
}

static void l6_already_fired_inputs_report_in_constructor(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_succeed(E, I(1)), dl_fail(E, F(&dl_type_ValueError, "x"))};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_ERRBACK);
    assert_true(dl->called);
    assert_string_equal(dl_failure_of(dl->result)->exc->message,
                        "FirstError[#1, Failure(ValueError: x)]");
    assert_int_equal(dl_list_get(dl_failure_of(dl->result)->exc->args, 1).u.i, 1);
    handle(dl);
    handle(ds[1]);
    dl_deferred_release(dl);
    release_all(ds, 2);

    /* behaviour 5 with fired inputs: the plain list fires inside too. */
    dl_deferred *fired[] = {dl_succeed(E, S("1")), dl_fail(E, F(&dl_type_Exception, "2")),
                            dl_succeed(E, S("3"))};
    dl = dl_deferred_list_new(E, fired, 3, DL_DLIST_CONSUME_ERRORS);
    assert_result(dl, "{{true, \"1\"}, {false, Failure(Exception: 2)}, {true, \"3\"}}");
    dl_deferred_release(dl);
    release_all(fired, 3);
}

static void l7_callbacks_before_and_after(void **state)
{
    (void)state;
    dl_deferred *a = D("a");
    dl_deferred_add_callback(a, cb_ret("before", I(70)));
    dl_deferred *dl = dl_deferred_list_new(E, &a, 1, 0);
    dl_deferred_add_callback(a, cb_log("after"));
    assert_int_equal(dl_deferred_callback(a, I(7)), 0);
    assert_log("before(7) after(70)");
    assert_result(dl, "{{true, 70}}");
    assert_result(a, "70");
    dl_deferred_release(dl);
    dl_deferred_release(a);

    /* A consumed failure: later errbacks are not called (behaviour 8). */
    dl_deferred *b = D("b");
    dl = dl_deferred_list_new(E, &b, 1, DL_DLIST_CONSUME_ERRORS);
    dl_deferred_add_callbacks(b, cb_log("later-cb"), cb_log("later-eb"));
    assert_int_equal(dl_deferred_errback(b, F(&dl_type_Exception, "Bang")), 0);
    assert_log("later-cb(nil)");
    dl_deferred_release(dl);
    dl_deferred_release(b);

    /* Not consumed: the later errback still gets "Bang". */
    dl_deferred *c = D("c");
    dl = dl_deferred_list_new(E, &c, 1, 0);
    dl_deferred_add_errback(c, cb_ret("later-eb", dl_none()));
    assert_int_equal(dl_deferred_errback(c, F(&dl_type_Exception, "Bang")), 0);
    assert_log("later-eb(Failure(Exception: Bang))");
    assert_result(dl, "{{false, Failure(Exception: Bang)}}");
    dl_deferred_release(dl);
    dl_deferred_release(c);
    assert_int_equal(E->unhandled_reported, 0);
}

static void cancel_cancels_each_input(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, 0);
    dl_deferred_add_errback(ds[0], cb_log("a-eb"));
    dl_deferred_add_errback(ds[1], cb_log("b-eb"));
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_log("a-eb(Failure(CancelledError)) b-eb(Failure(CancelledError))");
    assert_result(dl, "{{false, Failure(CancelledError)}, {false, Failure(CancelledError)}}");
    dl_deferred_release(dl);
    release_all(ds, 2);
}

static void l8_cancel_with_calling_back_canceller(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_callback("c0", S("Callback Result"))),
                         D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, 0);
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_result(dl, "{{true, \"Callback Result\"}, {false, Failure(CancelledError)}}");
    handle(ds[1]);
    dl_deferred_release(dl);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void l9_cancel_fire_on_one_callback(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_callback("c0", S("Callback Result"))),
                         D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_CALLBACK);
    dl_deferred_add_errback(ds[1], cb_log("b-eb"));
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_result(dl, "{\"Callback Result\", 0}");
    assert_log("c0(<Deferred d#1>) b-eb(Failure(CancelledError))");
    handle(ds[1]);
    dl_deferred_release(dl);
    release_all(ds, 2);
}

static void l10_cancel_fire_on_one_errback(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_ERRBACK);
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_true(dl_failure_check(dl->result, &dl_type_FirstError));
    dl_value sub = dl_list_get(dl_failure_of(dl->result)->exc->args, 0);
    assert_true(dl_failure_check(sub, &dl_type_CancelledError));
    assert_int_equal(dl_list_get(dl_failure_of(dl->result)->exc->args, 1).u.i, 0);
    assert_result(ds[0], "Failure(CancelledError)");
    assert_result(ds[1], "Failure(CancelledError)");
    handle(dl);
    handle(ds[0]);
    handle(ds[1]);
    dl_deferred_release(dl);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void l11_cancel_after_fired_is_a_noop(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), dl_deferred_new(E, canceller_log("c1"))};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_FIRE_ON_ONE_CALLBACK);
    assert_int_equal(dl_deferred_callback(ds[0], S("A")), 0);
    assert_result(dl, "{\"A\", 0}");
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_log(""); /* c1 was never called */
    assert_false(ds[1]->called);
    dl_deferred_release(dl);
    release_all(ds, 2);

    dl_deferred *es[] = {D("a"), D("b")};
    dl = dl_deferred_list_new(E, es, 2, DL_DLIST_FIRE_ON_ONE_ERRBACK);
    assert_int_equal(dl_deferred_errback(es[0], F(&dl_type_ValueError, "x")), 0);
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_false(es[1]->called);
    handle(dl);
    handle(es[0]);
    dl_deferred_release(dl);
    release_all(es, 2);
}

static void l12_input_array_is_copied(void **state)
{
    (void)state;
    dl_deferred *a = D("a"), *b = D("b"), *other = D("other");
    dl_deferred *ds[] = {a, b};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 2, DL_DLIST_CONSUME_ERRORS);
    ds[0] = other; /* not tracked */
    assert_int_equal(dl_deferred_list_count(dl), 2);
    assert_ptr_equal(dl_deferred_list_input(dl, 0), a);
    assert_null(dl_deferred_list_input(dl, 2));
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_result(a, "nil");
    assert_false(other->called);
    assert_result(dl, "{{false, Failure(CancelledError)}, {false, Failure(CancelledError)}}");
    dl_deferred_release(dl);
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(other);
}

static char WARN[1024];

static void warning_recorder(void *ud, const dl_event *ev)
{
    (void)ud;
    size_t len = strlen(WARN);
    if (ev->kind == DL_EV_WARNING || ev->kind == DL_EV_CANCEL)
        snprintf(WARN + len, sizeof WARN - len, "%s d=%u %s %s\n", dl_event_wire_name(ev->kind),
                 (unsigned)ev->d, ev->text ? ev->text : "-", R(ev->value));
}

static void x14_raising_canceller_is_logged(void **state)
{
    (void)state;
    WARN[0] = '\0';
    dl_engine_observe(E, warning_recorder, NULL);
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_raise("r", &dl_type_RuntimeError, "test")),
                         dl_deferred_new(E, dl_passthru()),
                         dl_deferred_new(E, canceller_callback("cb", S("cb-in-canceller")))};
    dl_deferred *dl = dl_deferred_list_new(E, ds, 3, 0);
    assert_int_equal(dl_deferred_cancel(dl), 0);
    assert_string_equal(WARN, "cancel d=4 - nil\n"
                              "cancel d=1 - nil\n"
                              "warning d=4 Exception raised from user supplied canceller "
                              "Failure(RuntimeError: test)\n"
                              "cancel d=2 - nil\n"
                              "cancel d=3 - nil\n");
    assert_false(ds[0]->called); /* the raising canceller left it unfired */
    assert_result(ds[1], "Failure(CancelledError)");
    assert_result(ds[2], "\"cb-in-canceller\"");
    assert_false(dl->called);
    assert_int_equal(dl_deferred_callback(ds[0], S("x")), 0);
    assert_result(dl, "{{true, \"x\"}, {false, Failure(CancelledError)}, "
                      "{true, \"cb-in-canceller\"}}");
    assert_true(dl_is_none(E->raised));
    handle(ds[1]);
    dl_deferred_release(dl);
    release_all(ds, 3);
    assert_int_equal(E->unhandled_reported, 0);
}

static void dl_repr_uses_class_name(void **state)
{
    (void)state;
    dl_deferred *dl = dl_deferred_list_new(E, NULL, 0, 0);
    char buf[128];
    dl_deferred_repr(dl, buf, sizeof buf);
    assert_string_equal(buf, "<DeferredList d#1 current result: {}>");
    dl_deferred_release(dl);
}

/* ---- gatherResults (2.10.2, behaviour 35) --------------------------------- */

static void gather_values_in_order(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_succeed(E, I(1)), dl_succeed(E, I(2))};
    dl_deferred *g = dl_gather_results(E, ds, 2, false);
    assert_result(g, "{1, 2}");
    dl_deferred_release(g);
    release_all(ds, 2);

    g = dl_gather_results(E, NULL, 0, false);
    assert_result(g, "{}");
    dl_deferred_release(g);

    dl_deferred *late[] = {D("a"), D("b")};
    g = dl_gather_results(E, late, 2, false);
    assert_int_equal(dl_deferred_callback(late[1], S("B")), 0);
    assert_int_equal(dl_deferred_callback(late[0], S("A")), 0);
    assert_result(g, "{\"A\", \"B\"}");
    dl_deferred_release(g);
    release_all(late, 2);
}

static void gather_first_error(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *g = dl_gather_results(E, ds, 2, false);
    assert_int_equal(dl_deferred_errback(ds[1], F(&dl_type_ValueError, "bad")), 0);
    assert_true(dl_failure_check(g->result, &dl_type_FirstError));
    dl_value args = dl_failure_of(g->result)->exc->args;
    assert_string_equal(R(dl_list_get(args, 0)), "Failure(ValueError: bad)");
    assert_int_equal(dl_list_get(args, 1).u.i, 1);
    assert_result(ds[1], "Failure(ValueError: bad)"); /* not consumed */
    handle(ds[1]);
    handle(g);
    /* the other input firing later changes nothing */
    assert_int_equal(dl_deferred_callback(ds[0], S("A")), 0);
    dl_deferred_release(g);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void gather_consume_errors(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *g = dl_gather_results(E, ds, 2, true);
    assert_int_equal(dl_deferred_errback(ds[1], F(&dl_type_ValueError, "bad")), 0);
    assert_result(ds[1], "nil");
    assert_true(dl_failure_check(g->result, &dl_type_FirstError));
    handle(g);
    dl_deferred_release(g);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void gather_cancel_all_callback(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_callback("c0", S("r0"))),
                         dl_deferred_new(E, canceller_callback("c1", S("r1")))};
    dl_deferred *g = dl_gather_results(E, ds, 2, false);
    assert_int_equal(dl_deferred_cancel(g), 0);
    assert_log("c0(<Deferred d#1>) c1(<Deferred d#2>)");
    assert_result(g, "{\"r0\", \"r1\"}");
    dl_deferred_release(g);
    release_all(ds, 2);
}

/* ---- race (2.10.3) -------------------------------------------------------- */

static void race_first_success_wins(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_log("cancel 0")),
                         dl_deferred_new(E, canceller_log("cancel 1")),
                         dl_deferred_new(E, canceller_log("cancel 2"))};
    dl_deferred *r = dl_race(E, ds, 3);
    dl_deferred_add_callback(r, cb_log("race"));
    assert_int_equal(dl_deferred_callback(ds[1], S("one")), 0);
    assert_log("cancel 0(<Deferred d#1>) cancel 2(<Deferred d#3>) race({1, \"one\"})");
    for (int i = 0; i < 3; i++)
        assert_result(ds[i], "nil");
    dl_deferred_release(r);
    release_all(ds, 3);
    assert_int_equal(E->unhandled_reported, 0);
}

static void race_later_success_from_canceller_ignored(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_callback("c0", S("zero"))), D("b")};
    dl_deferred *r = dl_race(E, ds, 2);
    assert_int_equal(dl_deferred_callback(ds[1], S("one")), 0);
    assert_result(r, "{1, \"one\"}");
    assert_result(ds[0], "nil");
    dl_deferred_release(r);
    release_all(ds, 2);
}

static void race_result_after_cancel_swallowed(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *r = dl_race(E, ds, 2);
    assert_int_equal(dl_deferred_callback(ds[1], S("one")), 0);
    assert_int_equal(dl_deferred_callback(ds[0], S("late")), 0); /* suppressed */
    assert_result(r, "{1, \"one\"}");
    dl_deferred_release(r);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void race_all_fail(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *r = dl_race(E, ds, 2);
    assert_int_equal(dl_deferred_errback(ds[1], F(&dl_type_ValueError, "second")), 0);
    assert_false(r->called);
    assert_int_equal(dl_deferred_errback(ds[0], F(&dl_type_ValueError, "first")), 0);
    assert_true(dl_failure_check(r->result, &dl_type_FailureGroup));
    dl_value args = dl_failure_of(r->result)->exc->args;
    assert_int_equal(dl_list_len(args), 1);
    assert_string_equal(R(dl_list_get(args, 0)),
                        "{Failure(ValueError: first), Failure(ValueError: second)}");
    assert_result(ds[0], "nil");
    assert_result(ds[1], "nil");
    handle(r);
    dl_deferred_release(r);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void race_failure_then_success(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), D("b")};
    dl_deferred *r = dl_race(E, ds, 2);
    assert_int_equal(dl_deferred_errback(ds[0], F(&dl_type_ValueError, "x")), 0);
    assert_int_equal(dl_deferred_callback(ds[1], S("ok")), 0);
    assert_result(r, "{1, \"ok\"}");
    dl_deferred_release(r);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void race_cancel_gives_failure_group(void **state)
{
    (void)state;
    dl_deferred *ds[] = {D("a"), dl_deferred_new(E, canceller_log("c1"))};
    dl_deferred *r = dl_race(E, ds, 2);
    dl_deferred_add_errback(r, cb_ret("eb", dl_none()));
    assert_int_equal(dl_deferred_cancel(r), 0);
    assert_log("c1(<Deferred d#2>) eb(Failure(FailureGroup))");
    assert_result(r, "nil");
    dl_deferred_release(r);
    release_all(ds, 2);
    assert_int_equal(E->unhandled_reported, 0);
}

static void race_already_fired_input(void **state)
{
    (void)state;
    dl_deferred *ds[] = {dl_deferred_new(E, canceller_log("c0")), dl_succeed(E, S("now")), D("c")};
    dl_deferred *r = dl_race(E, ds, 3);
    assert_log("c0(<Deferred d#1>)");
    assert_result(r, "{1, \"now\"}");
    assert_result(ds[2], "nil"); /* cancelled before it even got its callbacks */
    dl_deferred_release(r);
    release_all(ds, 3);
}

static void race_of_nothing_never_fires(void **state)
{
    (void)state;
    dl_deferred *r = dl_race(E, NULL, 0);
    assert_false(r->called);
    dl_deferred_release(r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_engine, teardown_engine)
    const struct CMUnitTest tests[] = {
        T(l1_list_order_regardless_of_firing),
        T(l2_consume_errors),
        T(l3_fire_on_one_callback),
        T(l3b_fire_on_one_callback_all_fail),
        T(l4_fire_on_one_errback),
        T(l5_empty),
        T(l6_already_fired_inputs_report_in_constructor),
        T(l7_callbacks_before_and_after),
        T(cancel_cancels_each_input),
        T(l8_cancel_with_calling_back_canceller),
        T(l9_cancel_fire_on_one_callback),
        T(l10_cancel_fire_on_one_errback),
        T(l11_cancel_after_fired_is_a_noop),
        T(l12_input_array_is_copied),
        T(x14_raising_canceller_is_logged),
        T(dl_repr_uses_class_name),
        T(gather_values_in_order),
        T(gather_first_error),
        T(gather_consume_errors),
        T(gather_cancel_all_callback),
        T(race_first_success_wins),
        T(race_later_success_from_canceller_ignored),
        T(race_result_after_cancel_swallowed),
        T(race_all_fail),
        T(race_failure_then_success),
        T(race_cancel_gives_failure_group),
        T(race_already_fired_input),
        T(race_of_nothing_never_fires),
    };
#undef T
    return cmocka_run_group_tests_name("dlist", tests, NULL, NULL);
}
