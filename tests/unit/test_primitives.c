/* test_primitives.c - DeferredQueue, DeferredLock, DeferredSemaphore
 * (reference 1.4, 2.11.1-2.11.3, X15, behaviour 40). Expected values were
 * checked against Twisted 22.4. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/primitives.h"

static const char *raised(void)
{
    static char buf[256];
    dl_value f = dl_engine_take_raised(E);
    snprintf(buf, sizeof buf, "%s", R(f));
    dl_release(f);
    return buf;
}

static dl_deferred *get(dl_queue *q)
{
    dl_deferred *d = NULL;
    assert_int_equal(dl_queue_get(q, &d), 0);
    return d;
}

/* ---- DeferredQueue ------------------------------------------------------- */

static void queue_getters_fifo(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, -1, -1);
    dl_deferred *g1 = get(q), *g2 = get(q);
    dl_deferred_add_callback(g1, cb_log("g1"));
    dl_deferred_add_callback(g2, cb_log("g2"));
    assert_int_equal(dl_queue_waiting(q), 2);
    assert_int_equal(dl_queue_put(q, S("a")), 0);
    assert_log("g1(\"a\")");
    assert_int_equal(dl_queue_put(q, S("b")), 0);
    assert_log("g2(\"b\")");
    assert_int_equal(dl_queue_put(q, S("c")), 0);
    assert_string_equal(R(dl_queue_pending(q)), "{\"c\"}");
    dl_deferred *g3 = get(q);
    assert_result(g3, "\"c\"");
    assert_int_equal(dl_list_len(dl_queue_pending(q)), 0);
    dl_deferred_release(g1);
    dl_deferred_release(g2);
    dl_deferred_release(g3);
    dl_obj_release(q);
}

static void queue_size_overflow(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, 2, -1);
    assert_int_equal(dl_queue_put(q, I(1)), 0);
    assert_int_equal(dl_queue_put(q, I(2)), 0);
    assert_int_equal(dl_queue_put(q, I(3)), DL_EQUEUEOVERFLOW);
    assert_string_equal(raised(), "Failure(QueueOverflow)");
    assert_string_equal(R(dl_queue_pending(q)), "{1, 2}");
    dl_obj_release(q);
}

static void queue_size_zero_is_a_rendezvous(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, 0, -1);
    assert_int_equal(dl_queue_put(q, I(1)), DL_EQUEUEOVERFLOW);
    dl_value f = dl_engine_take_raised(E);
    assert_true(dl_failure_check(f, &dl_type_QueueOverflow));
    assert_int_equal(dl_list_len(dl_failure_of(f)->exc->args), 0);
    dl_release(f);
    dl_deferred *g = get(q);
    assert_int_equal(dl_queue_put(q, I(7)), 0); /* no size check with a getter */
    assert_result(g, "7");
    dl_deferred_release(g);
    dl_obj_release(q);
}

static void queue_backlog(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, -1, 1);
    dl_deferred *g1 = get(q), *g2 = NULL;
    assert_int_equal(dl_queue_get(q, &g2), DL_EQUEUEUNDERFLOW);
    assert_null(g2);
    assert_string_equal(raised(), "Failure(QueueUnderflow)");
    assert_int_equal(dl_queue_waiting(q), 1);
    dl_deferred_release(g1);
    dl_obj_release(q);

    /* backlog 0: get raises when empty, succeeds when an item is pending. */
    q = dl_queue_new(E, -1, 0);
    assert_int_equal(dl_queue_get(q, &g2), DL_EQUEUEUNDERFLOW);
    dl_release(dl_engine_take_raised(E));
    assert_int_equal(dl_queue_put(q, S("x")), 0);
    g2 = get(q);
    assert_result(g2, "\"x\"");
    dl_deferred_release(g2);
    dl_obj_release(q);
}

/* The (size, backlog) matrix of Twisted's test_queueOverflow/Underflow. */
static void queue_matrix(void **state)
{
    (void)state;
    for (int64_t size = -1; size <= 2; size++) {
        for (int64_t backlog = -1; backlog <= 2; backlog++) {
            dl_queue *q = dl_queue_new(E, size, backlog);
            /* gets: as many as the backlog allows, then one more raises */
            dl_deferred *ds[3] = {0};
            int64_t allowed = backlog < 0 ? 3 : backlog;
            for (int64_t i = 0; i < allowed; i++)
                ds[i] = get(q);
            if (backlog >= 0) {
                dl_deferred *extra = NULL;
                assert_int_equal(dl_queue_get(q, &extra), DL_EQUEUEUNDERFLOW);
                dl_release(dl_engine_take_raised(E));
            }
            /* puts: the waiting getters take the first ones, whatever size */
            for (int64_t i = 0; i < allowed; i++) {
                assert_int_equal(dl_queue_put(q, I(i)), 0);
                assert_result(ds[i], R(I(i)));
                dl_deferred_release(ds[i]);
            }
            /* then pending fills up to size; one more overflows */
            int64_t room = size < 0 ? 3 : size;
            for (int64_t i = 0; i < room; i++)
                assert_int_equal(dl_queue_put(q, I(10 + i)), 0);
            if (size >= 0) {
                assert_int_equal(dl_queue_put(q, I(99)), DL_EQUEUEOVERFLOW);
                dl_release(dl_engine_take_raised(E));
            }
            assert_int_equal((int64_t)dl_list_len(dl_queue_pending(q)), room);
            assert_int_equal(dl_queue_size(q), size);
            assert_int_equal(dl_queue_backlog(q), backlog);
            dl_obj_release(q);
        }
    }
    assert_null(dl_queue_new(E, -2, -1));
    assert_string_equal(raised(), "Failure(ValueError: size and backlog must be >= 0 or None)");
}

/* Twisted's testQueue, step by step. */
static void queue_twisted_testQueue(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, 2, 2);
    dl_deferred *g[2];
    for (int i = 0; i < 2; i++) {
        g[i] = get(q);
        dl_deferred_add_callback(g[i], cb_log("g"));
    }
    dl_deferred *third = NULL;
    assert_int_equal(dl_queue_get(q, &third), DL_EQUEUEUNDERFLOW);
    dl_release(dl_engine_take_raised(E));
    assert_int_equal(dl_queue_put(q, I(0)), 0);
    assert_int_equal(dl_queue_put(q, I(1)), 0);
    assert_log("g(0) g(1)");
    assert_int_equal(dl_queue_put(q, I(2)), 0);
    assert_int_equal(dl_queue_put(q, I(3)), 0);
    assert_string_equal(R(dl_queue_pending(q)), "{2, 3}");
    assert_int_equal(dl_queue_put(q, dl_none()), DL_EQUEUEOVERFLOW);
    dl_release(dl_engine_take_raised(E));
    dl_deferred *a = get(q), *b = get(q);
    assert_result(a, "2");
    assert_result(b, "3");
    for (int i = 0; i < 2; i++)
        dl_deferred_release(g[i]);
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_obj_release(q);
}

static void queue_cancel_waiting_get(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, -1, -1);
    dl_deferred *g1 = get(q), *g2 = get(q);
    dl_deferred_add_errback(g1, cb_log("eb1"));
    assert_int_equal(dl_deferred_cancel(g1), 0);
    assert_log("eb1(Failure(CancelledError))");
    assert_int_equal(dl_queue_waiting(q), 1);
    assert_int_equal(dl_queue_put(q, S("v")), 0); /* skips the cancelled one */
    assert_result(g2, "\"v\"");
    assert_int_equal(dl_deferred_cancel(g2), 0); /* after it fired: a no-op */
    assert_result(g2, "\"v\"");
    assert_int_equal(dl_list_len(dl_queue_pending(q)), 0);
    dl_deferred_release(g1);
    dl_deferred_release(g2);
    dl_obj_release(q);
}

static void queue_getter_callback_puts_again(void **state);
static dl_queue *Q;
static dl_value put_back(dl_value in, void *ud)
{
    (void)ud;
    assert_int_equal(dl_queue_put(Q, S("again")), 0);
    return dl_retain(in);
}

static void queue_getter_callback_puts_again(void **state)
{
    (void)state;
    Q = dl_queue_new(E, 1, -1);
    dl_deferred *g = get(Q);
    dl_deferred_add_callback(g, cb_custom("g", put_back, NULL));
    assert_int_equal(dl_queue_put(Q, S("first")), 0); /* the callback runs inside put */
    assert_log("g(\"first\")");
    assert_string_equal(R(dl_queue_pending(Q)), "{\"again\"}");
    dl_deferred_release(g);
    dl_obj_release(Q);
}

/* ---- DeferredLock -------------------------------------------------------- */

static void lock_fifo_hand_off(void **state)
{
    (void)state;
    dl_lock *l = dl_lock_new(E);
    dl_deferred *a = dl_lock_acquire(l);
    assert_true(a->called);
    assert_ptr_equal(dl_lock_of(a->result), l);
    assert_string_equal(R(a->result), "<DeferredLock #1 locked waiting=0>");
    dl_deferred *b = dl_lock_acquire(l), *c = dl_lock_acquire(l);
    dl_deferred_add_callback(b, cb_log("b"));
    dl_deferred_add_callback(c, cb_log("c"));
    assert_false(b->called);
    assert_int_equal(dl_lock_waiting(l), 2);
    assert_int_equal(dl_lock_release(l), 0);
    assert_log("b(<DeferredLock #1 locked waiting=1>)");
    assert_true(dl_lock_locked(l));
    /* No barging: a new acquirer queues behind c. */
    dl_deferred *d = dl_lock_acquire(l);
    dl_deferred_add_callback(d, cb_log("d"));
    assert_int_equal(dl_lock_release(l), 0);
    assert_log("c(<DeferredLock #1 locked waiting=1>)");
    assert_int_equal(dl_lock_release(l), 0);
    assert_log("d(<DeferredLock #1 locked waiting=0>)");
    assert_int_equal(dl_lock_release(l), 0);
    assert_false(dl_lock_locked(l));
    assert_int_equal(dl_lock_release(l), DL_EASSERTION);
    assert_string_equal(raised(), "Failure(AssertionError: Tried to release an unlocked lock)");
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
    dl_deferred_release(d);
    dl_obj_release(l);
}

static void lock_run_order(void **state)
{
    (void)state;
    dl_lock *l = dl_lock_new(E);
    dl_deferred *first = dl_lock_acquire(l);
    dl_deferred *r = dl_lock_run(l, cb_ret("f", S("V")), dl_none());
    dl_deferred_add_callback(r, cb_log("run-caller sees"));
    dl_deferred *next = dl_lock_acquire(l);
    dl_deferred_add_callback(next, cb_log("next acquirer got lock"));
    assert_log("");
    assert_int_equal(dl_lock_release(l), 0);
    assert_log("f(nil) next acquirer got lock(<DeferredLock #1 locked waiting=0>) "
               "run-caller sees(\"V\")");
    assert_true(dl_lock_locked(l));
    dl_deferred_release(first);
    dl_deferred_release(r);
    dl_deferred_release(next);
    dl_obj_release(l);
}

static void lock_run_waits_for_returned_deferred(void **state)
{
    (void)state;
    dl_lock *l = dl_lock_new(E);
    dl_deferred *inner = D("inner");
    dl_deferred *r = dl_lock_run(l, cb_defer("f", inner), dl_none());
    dl_deferred_add_callback(r, cb_log("done"));
    assert_log("f(nil)");
    assert_true(dl_lock_locked(l)); /* released only when f's Deferred fires */
    assert_int_equal(dl_deferred_callback(inner, I(5)), 0);
    assert_log("done(5)");
    assert_false(dl_lock_locked(l));
    dl_deferred_release(inner);
    dl_deferred_release(r);
    dl_obj_release(l);
}

static void lock_run_raising(void **state)
{
    (void)state;
    dl_lock *l = dl_lock_new(E);
    dl_deferred *r = dl_lock_run(l, cb_raise("f", &dl_type_ValueError, "bad"), dl_none());
    assert_false(dl_lock_locked(l));
    dl_deferred_add_errback(r, cb_log("eb"));
    assert_log("f(nil) eb(Failure(ValueError: bad))");
    dl_deferred_release(r);
    dl_obj_release(l);
}

static void run_without_function(void **state)
{
    (void)state;
    dl_lock *l = dl_lock_new(E);
    assert_null(dl_lock_run(l, dl_passthru(), dl_none()));
    assert_string_equal(raised(),
                        "Failure(TypeError: run() missing 1 required positional argument: 'f')");
    assert_false(dl_lock_locked(l));
    dl_semaphore *s = dl_semaphore_new(E, 1);
    assert_null(dl_semaphore_run(s, dl_passthru(), dl_none()));
    dl_release(dl_engine_take_raised(E));
    assert_int_equal(dl_semaphore_tokens(s), 1);
    dl_obj_release(l);
    dl_obj_release(s);
}

static void lock_cancel_waiting_acquire(void **state)
{
    (void)state;
    dl_lock *l = dl_lock_new(E);
    dl_deferred *a = dl_lock_acquire(l);
    dl_deferred *b = dl_lock_acquire(l), *c = dl_lock_acquire(l);
    dl_deferred_add_errback(b, cb_log("b-eb"));
    dl_deferred_add_callback(c, cb_log("c"));
    assert_int_equal(dl_deferred_cancel(b), 0);
    assert_log("b-eb(Failure(CancelledError))");
    assert_int_equal(dl_lock_waiting(l), 1);
    assert_int_equal(dl_lock_release(l), 0);
    assert_log("c(<DeferredLock #1 locked waiting=0>)");
    /* Cancelling an acquire that already has the lock is a no-op. */
    assert_int_equal(dl_deferred_cancel(a), 0);
    assert_ptr_equal(dl_lock_of(a->result), l);
    assert_true(dl_lock_locked(l));
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
    dl_obj_release(l);
}

/* ---- DeferredSemaphore --------------------------------------------------- */

static void semaphore_tokens(void **state)
{
    (void)state;
    dl_semaphore *s = dl_semaphore_new(E, 2);
    dl_deferred *d[4];
    for (int i = 0; i < 4; i++)
        d[i] = dl_semaphore_acquire(s);
    assert_true(d[0]->called && d[1]->called && !d[2]->called && !d[3]->called);
    assert_int_equal(dl_semaphore_tokens(s), 0);
    assert_int_equal(dl_semaphore_limit(s), 2);
    assert_int_equal(dl_semaphore_waiting(s), 2);
    assert_int_equal(dl_semaphore_release(s), 0);
    assert_true(d[2]->called && !d[3]->called);
    assert_int_equal(dl_semaphore_tokens(s), 0);
    assert_ptr_equal(dl_semaphore_of(d[2]->result), s);
    /* X15: cancelling the waiting one removes it. */
    dl_deferred_add_errback(d[3], cb_log("eb"));
    assert_int_equal(dl_deferred_cancel(d[3]), 0);
    assert_log("eb(Failure(CancelledError))");
    assert_int_equal(dl_semaphore_waiting(s), 0);
    assert_int_equal(dl_semaphore_release(s), 0);
    assert_int_equal(dl_semaphore_release(s), 0);
    assert_int_equal(dl_semaphore_tokens(s), 2); /* d[2] still "holds" one in Twisted's count */
    assert_int_equal(dl_semaphore_release(s), DL_EASSERTION);
    assert_string_equal(
        raised(), "Failure(AssertionError: Someone released me too many times: too many tokens!)");
    for (int i = 0; i < 4; i++)
        dl_deferred_release(d[i]);
    dl_obj_release(s);
}

static void semaphore_bad_tokens(void **state)
{
    (void)state;
    assert_null(dl_semaphore_new(E, 0));
    assert_string_equal(raised(), "Failure(ValueError: DeferredSemaphore requires tokens >= 1)");
    assert_null(dl_semaphore_new(E, -1));
    dl_value f = dl_engine_take_raised(E);
    assert_true(dl_failure_check(f, &dl_type_ValueError));
    dl_release(f);
}

static void semaphore_run(void **state)
{
    (void)state;
    dl_semaphore *s = dl_semaphore_new(E, 1);
    dl_deferred *inner = D("inner");
    dl_deferred *r1 = dl_semaphore_run(s, cb_defer("f1", inner), dl_none());
    dl_deferred *r2 = dl_semaphore_run(s, cb_ret("f2", S("two")), dl_none());
    dl_deferred_add_callback(r1, cb_log("r1"));
    dl_deferred_add_callback(r2, cb_log("r2"));
    assert_log("f1(nil)");
    assert_int_equal(dl_semaphore_tokens(s), 0);
    assert_int_equal(dl_deferred_callback(inner, S("one")), 0);
    /* The hand-off runs f2 (and r2) before r1 sees its value. */
    assert_log("f2(nil) r2(\"two\") r1(\"one\")");
    assert_int_equal(dl_semaphore_tokens(s), 1);
    dl_deferred_release(inner);
    dl_deferred_release(r1);
    dl_deferred_release(r2);
    dl_obj_release(s);
}

/* ---- STATE events -------------------------------------------------------- */

static char STATES[4096];

static void state_recorder(void *ud, const dl_event *ev)
{
    (void)ud;
    size_t len = strlen(STATES);
    if (ev->kind == DL_EV_STATE)
        snprintf(STATES + len, sizeof STATES - len, "state %s #%u %s\n", ev->text, (unsigned)ev->d,
                 R(ev->value));
    else if (ev->kind == DL_EV_CALL)
        snprintf(STATES + len, sizeof STATES - len, "call d%u %s %s\n", (unsigned)ev->d, ev->name,
                 R(ev->value));
    else if (ev->kind == DL_EV_CANCELLER)
        snprintf(STATES + len, sizeof STATES - len, "canceller d%u %s\n", (unsigned)ev->d,
                 ev->name);
}

static void state_events_exact(void **state)
{
    (void)state;
    STATES[0] = '\0';
    dl_engine_observe(E, state_recorder, NULL);
    dl_queue *q = dl_queue_new(E, 1, -1);
    dl_deferred *g = get(q);
    dl_deferred_add_callback(g, cb_log("g"));
    assert_int_equal(dl_queue_put(q, S("a")), 0);
    assert_int_equal(dl_queue_put(q, S("b")), 0);
    dl_deferred *h = get(q);
    dl_lock *l = dl_lock_new(E);
    dl_deferred *a = dl_lock_acquire(l), *b = dl_lock_acquire(l);
    assert_int_equal(dl_deferred_cancel(b), 0);
    assert_int_equal(dl_lock_release(l), 0);
    dl_semaphore *s = dl_semaphore_new(E, 1);
    dl_deferred *t = dl_semaphore_acquire(s);
    assert_string_equal(
        STATES,
        "state DeferredQueue #1 {{\"pending\", {}}, {\"waiting\", {}}, {\"size\", 1}, "
        "{\"backlog\", nil}}\n"
        "state DeferredQueue #1 {{\"pending\", {}}, {\"waiting\", {<Deferred d#1>}}, {\"size\", "
        "1}, {\"backlog\", nil}}\n"
        "state DeferredQueue #1 {{\"pending\", {}}, {\"waiting\", {}}, {\"size\", 1}, "
        "{\"backlog\", nil}}\n"
        "call d1 g \"a\"\n"
        "state DeferredQueue #1 {{\"pending\", {\"b\"}}, {\"waiting\", {}}, {\"size\", 1}, "
        "{\"backlog\", nil}}\n"
        "state DeferredQueue #1 {{\"pending\", {}}, {\"waiting\", {}}, {\"size\", 1}, "
        "{\"backlog\", nil}}\n"
        "state DeferredLock #2 {{\"locked\", false}, {\"waiting\", {}}}\n"
        "state DeferredLock #2 {{\"locked\", true}, {\"waiting\", {}}}\n"
        "state DeferredLock #2 {{\"locked\", true}, {\"waiting\", {<Deferred d#4>}}}\n"
        "canceller d4 _cancelAcquire\n"
        "state DeferredLock #2 {{\"locked\", true}, {\"waiting\", {}}}\n"
        "state DeferredLock #2 {{\"locked\", false}, {\"waiting\", {}}}\n"
        "state DeferredSemaphore #3 {{\"tokens\", 1}, {\"limit\", 1}, {\"waiting\", {}}}\n"
        "state DeferredSemaphore #3 {{\"tokens\", 0}, {\"limit\", 1}, {\"waiting\", {}}}\n");
    dl_deferred_release(g);
    dl_deferred_release(h);
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(t);
    dl_obj_release(q);
    dl_obj_release(l);
    dl_obj_release(s);
}

static void structures_are_values(void **state)
{
    (void)state;
    dl_queue *q = dl_queue_new(E, -1, -1);
    dl_lock *l = dl_lock_new(E);
    dl_semaphore *s = dl_semaphore_new(E, 3);
    dl_value qv = dl_queue_value(q), lv = dl_lock_value(l), sv = dl_semaphore_value(s);
    assert_ptr_equal(dl_queue_of(qv), q);
    assert_null(dl_queue_of(lv));
    assert_ptr_equal(dl_lock_of(lv), l);
    assert_null(dl_lock_of(sv));
    assert_ptr_equal(dl_semaphore_of(sv), s);
    assert_null(dl_semaphore_of(qv));
    assert_string_equal(R(qv), "<DeferredQueue #1 pending=0 waiting=0>");
    assert_string_equal(R(sv), "<DeferredSemaphore #3 tokens=3/3 waiting=0>");
    /* A queue can carry itself: the Deferred keeps it alive. */
    assert_int_equal(dl_queue_put(q, qv), 0);
    dl_release(qv);
    dl_release(lv);
    dl_release(sv);
    dl_obj_release(l);
    dl_obj_release(s);
    dl_deferred *d = get(q);
    dl_obj_release(q);
    assert_string_equal(R(d->result), "<DeferredQueue #1 pending=0 waiting=0>");
    dl_deferred_release(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(queue_getters_fifo, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(queue_size_overflow, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(queue_size_zero_is_a_rendezvous, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(queue_backlog, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(queue_matrix, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(queue_twisted_testQueue, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(queue_cancel_waiting_get, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(queue_getter_callback_puts_again, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(lock_fifo_hand_off, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(lock_run_order, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(lock_run_waits_for_returned_deferred, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(lock_run_raising, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(run_without_function, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(lock_cancel_waiting_acquire, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(semaphore_tokens, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(semaphore_bad_tokens, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(semaphore_run, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(state_events_exact, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(structures_are_values, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("primitives", tests, NULL, NULL);
}
