/* test_rdq.c - DeferredPriorityQueue, Job and ResizableDispatchQueue (the
 * seed blog's txrdq), including the SMS sender walk-through. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/rdq.h"
#include "engine/task.h"

static const char *raised(void)
{
    static char buf[256];
    dl_value f = dl_engine_take_raised(E);
    snprintf(buf, sizeof buf, "%s", R(f));
    dl_release(f);
    return buf;
}

/* ===================================================================== */
/* DeferredPriorityQueue                                                 */
/* ===================================================================== */

static dl_deferred *qget(dl_dpq *q)
{
    dl_deferred *d = NULL;
    assert_int_equal(dl_dpq_get(q, &d), 0);
    return d;
}

static void dpq_priority_order(void **state)
{
    (void)state;
    dl_dpq *q = dl_dpq_new(E);
    dl_value a = S("a"), b = S("b"), c = S("c"), d = S("d");
    assert_int_equal(dl_dpq_put(q, a, 5), 0);
    assert_int_equal(dl_dpq_put(q, b, 1), 0);
    assert_int_equal(dl_dpq_put(q, c, 5), 0);
    assert_int_equal(dl_dpq_put(q, d, 5), 0);
    dl_value p = dl_dpq_pending(q);
    assert_string_equal(R(p), "{\"b\", \"a\", \"c\", \"d\"}"); /* lower first, FIFO among equals */
    dl_release(p);
    /* reprioritize keeps the put order among equals: b was put second */
    assert_int_equal(dl_dpq_reprioritize(q, b, 5), 0);
    p = dl_dpq_pending(q);
    assert_string_equal(R(p), "{\"a\", \"b\", \"c\", \"d\"}");
    dl_release(p);
    assert_int_equal(dl_dpq_reprioritize(q, d, -1), 0);
    assert_int_equal(dl_dpq_delete(q, a), 0);
    assert_int_equal(dl_dpq_delete(q, a), DL_EVALUE);
    assert_string_equal(raised(), "Failure(KeyError: \"a\")");
    assert_int_equal(dl_dpq_reprioritize(q, S("zz"), 1), DL_EVALUE);
    dl_release(dl_engine_take_raised(E));
    assert_int_equal(dl_dpq_put(q, c, 0), DL_ERUNTIME);
    assert_string_equal(raised(), "Failure(RuntimeError: Object \"c\" already in queue.)");
    dl_deferred *g1 = qget(q), *g2 = qget(q), *g3 = qget(q);
    assert_result(g1, "\"d\"");
    assert_result(g2, "\"b\"");
    assert_result(g3, "\"c\"");
    assert_int_equal(dl_dpq_len(q), 0);

    /* getters wait, FIFO; a cancelled getter stops waiting */
    dl_deferred *w1 = qget(q), *w2 = qget(q), *w3 = qget(q);
    dl_deferred_add_errback(w2, cb_ret("w2", dl_none()));
    dl_deferred_cancel(w2);
    assert_log("w2(Failure(CancelledError))");
    assert_int_equal(dl_dpq_waiting(q), 2);
    assert_int_equal(dl_dpq_put(q, I(1), 9), 0);
    assert_int_equal(dl_dpq_put(q, I(2), 0), 0);
    assert_result(w1, "1");
    assert_result(w3, "2");
    dl_value v = dl_dpq_value(q);
    assert_ptr_equal(dl_dpq_of(v), q);
    assert_string_equal(R(v), "<DeferredPriorityQueue #1 pending=0 waiting=0>");
    dl_release(v);
    dl_deferred *ds[] = {g1, g2, g3, w1, w2, w3};
    for (int i = 0; i < 6; i++)
        dl_deferred_release(ds[i]);
    dl_obj_release(q);
}

/* The queue against a plain model: random puts, gets, deletes and
 * reprioritizations; the order must always be (priority, put order). */
typedef struct model_item {
    int64_t v;
    double p;
    int64_t count;
    bool live;
} model_item;

static void dpq_matches_model(void **state)
{
    (void)state;
    dl_dpq *q = dl_dpq_new(E);
    enum { N = 3000 };
    static model_item m[N];
    int64_t counter = 0;
    unsigned seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff)
    for (int64_t i = 0; i < N; i++) {
        unsigned op = RND() % 10;
        if (op < 6 || i < 10) {
            m[i] = (model_item){i, (double)(RND() % 7), ++counter, true};
            assert_int_equal(dl_dpq_put(q, I(i), m[i].p), 0);
        } else {
            int64_t j = (int64_t)(RND() % (unsigned)i);
            if (op < 8) {
                int rc = dl_dpq_delete(q, I(j));
                assert_int_equal(rc, m[j].live ? 0 : DL_EVALUE);
                if (rc) dl_release(dl_engine_take_raised(E));
                m[j].live = false;
            } else if (op < 9) {
                double p = (double)(RND() % 7);
                int rc = dl_dpq_reprioritize(q, I(j), p);
                assert_int_equal(rc, m[j].live ? 0 : DL_EVALUE);
                if (rc)
                    dl_release(dl_engine_take_raised(E));
                else
                    m[j].p = p;
            } else if (dl_dpq_len(q)) {
                int64_t best = -1;
                for (int64_t k = 0; k < i; k++)
                    if (m[k].live && (best < 0 || m[k].p < m[best].p ||
                                      (m[k].p == m[best].p && m[k].count < m[best].count)))
                        best = k;
                dl_deferred *g = qget(q);
                assert_string_equal(R(g->result), R(I(best)));
                dl_deferred_release(g);
                m[best].live = false;
            }
            m[i].live = false;
        }
    }
#undef RND
    /* the final order */
    dl_value p = dl_dpq_pending(q);
    size_t live = 0;
    for (int64_t k = 0; k < N; k++)
        live += m[k].live;
    assert_int_equal(dl_list_len(p), live);
    for (size_t a = 1; a < dl_list_len(p); a++) {
        model_item *x = &m[dl_list_get(p, a - 1).u.i], *y = &m[dl_list_get(p, a).u.i];
        assert_true(x->live && y->live);
        assert_true(x->p < y->p || (x->p == y->p && x->count < y->count));
    }
    dl_release(p);
    dl_obj_release(q);
}

/* ===================================================================== */
/* The dispatch queue                                                    */
/* ===================================================================== */

static dl_clock *clock_;

static dl_value sent(dl_value in, void *ud)
{
    (void)in;
    return dl_int((int64_t)(intptr_t)ud * 100);
}

/* sendSMS(n): takes 10 seconds, then gives n * 100. */
static dl_value send_sms(dl_value arg, void *ud)
{
    (void)ud;
    dl_deferred *d = dl_defer_later(dl_clock_reactor(clock_), 10,
                                    dl_fn_c(sent, (void *)(intptr_t)arg.u.i, "sent"), dl_none());
    return dl_obj_value(DL_DEFERRED, d);
}

/* The jobargs of a list of jobs, "{1, 2}"; the list is released. */
static const char *args(dl_value jobs)
{
    static char buf[2][512];
    static int k;
    char *b = buf[k++ % 2];
    strcpy(b, "{");
    for (size_t i = 0; i < dl_list_len(jobs); i++)
        snprintf(b + strlen(b), 512 - strlen(b), "%s%s", i ? ", " : "",
                 R(dl_job_arg(dl_job_of(dl_list_get(jobs, i)))));
    strcat(b, "}");
    dl_release(jobs);
    return b;
}

static dl_deferred *put(dl_rdq *q, int64_t n, double priority)
{
    dl_deferred *d = NULL;
    assert_int_equal(dl_rdq_put(q, I(n), priority, &d), 0);
    return d;
}

static dl_job *job_in(dl_deferred *d)
{
    /* put()'s Deferred: the Job, or a failure whose args are {job} */
    if (dl_is_failure(d->result))
        return dl_job_of(dl_list_get(dl_failure_of(d->result)->exc->args, 0));
    return dl_job_of(d->result);
}

static dl_value eat(dl_value in, void *ud)
{
    (void)in;
    (void)ud;
    return dl_none();
}

static void sms_sender(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    dl_rdq *q = dl_rdq_new(dl_clock_reactor(clock_), dl_fn_c(send_sms, NULL, "sendSMS"), 5);
    assert_int_equal(dl_rdq_width(q), 5);
    dl_deferred *d[32] = {0};
    for (int i = 1; i <= 12; i++)
        d[i] = put(q, i, 5);
    assert_string_equal(args(dl_rdq_underway(q)), "{1, 2, 3, 4, 5}");
    assert_string_equal(args(dl_rdq_pending(q)), "{6, 7, 8, 9, 10, 11, 12}");

    /* d2.cancel(): job 2 was underway; its worker takes job 6 at once. */
    assert_int_equal(dl_deferred_cancel(d[2]), 0);
    dl_job *j2 = job_in(d[2]);
    assert_true(dl_failure_check(d[2]->result, &dl_type_CancelledError));
    assert_int_equal(dl_job_get_state(j2), DL_JOB_CANCELLED);
    assert_true(dl_job_stopped_at(j2) == 0);
    assert_string_equal(args(dl_rdq_underway(q)), "{1, 3, 4, 5, 6}");
    dl_deferred_add_errback(d[2], dl_fn_c(eat, NULL, "eat"));

    /* Widen to 10: five more jobs go at once. */
    assert_int_equal(dl_rdq_set_width(q, 10), 0);
    assert_int_equal(dl_rdq_width(q), 10);
    assert_string_equal(args(dl_rdq_underway(q)), "{1, 3, 4, 5, 6, 7, 8, 9, 10, 11}");
    assert_string_equal(args(dl_rdq_pending(q)), "{12}");

    /* Narrow to 7: underway jobs go on; three workers will stop. */
    assert_int_equal(dl_rdq_set_width(q, 7), 0);
    assert_int_equal(dl_rdq_width(q), 7);
    assert_int_equal(dl_rdq_underway_count(q), 10);

    /* More jobs; cancel a pending one; reprioritize another. */
    for (int i = 13; i <= 20; i++)
        d[i] = put(q, i, 5);
    dl_value pend = dl_rdq_pending(q);
    dl_job *j13 = dl_job_of(dl_list_get(pend, 1));
    assert_int_equal(dl_job_cancel(j13), 0);
    dl_release(pend);
    assert_int_equal(dl_job_get_state(j13), DL_JOB_CANCELLED);
    assert_true(dl_failure_check(d[13]->result, &dl_type_CancelledError));
    dl_deferred_add_errback(d[13], dl_fn_c(eat, NULL, "eat"));
    pend = dl_rdq_pending(q);
    dl_job *j20 = dl_job_of(dl_list_get(pend, 7));
    dl_release(pend); /* the queue still holds the job */
    assert_int_equal(dl_rdq_reprioritize(q, j20, -1), 0);
    assert_true(dl_job_priority(j20) == -1);
    assert_string_equal(args(dl_rdq_pending(q)), "{20, 12, 14, 15, 16, 17, 18, 19}");

    /* t=10: all ten finish; 3 workers stop, 7 take the best pending jobs. */
    assert_int_equal(dl_clock_advance(clock_, 10), 0);
    dl_job *j1 = dl_job_of(d[1]->result); /* fired with the Job itself */
    assert_non_null(j1);
    assert_string_equal(R(dl_job_arg(j1)), "1");
    assert_int_equal(dl_job_get_state(j1), DL_JOB_FINISHED);
    assert_string_equal(R(dl_job_result(j1)), "100");
    assert_true(dl_job_queued_at(j1) == 0 && dl_job_launched_at(j1) == 0 &&
                dl_job_stopped_at(j1) == 10);
    assert_string_equal(args(dl_rdq_underway(q)), "{20, 12, 14, 15, 16, 17, 18}");
    assert_string_equal(args(dl_rdq_pending(q)), "{19}");

    /* pause(): nothing new starts; the Deferred waits for the underway. */
    dl_deferred *paused = NULL;
    assert_int_equal(dl_rdq_pause(q, &paused), 0);
    assert_true(dl_rdq_paused(q));
    assert_int_equal(dl_rdq_width(q), 7);
    assert_false(paused->called);
    for (int i = 21; i <= 28; i++)
        d[i] = put(q, i, 5);
    assert_int_equal(dl_rdq_pending_count(q), 9);
    assert_int_equal(dl_clock_advance(clock_, 10), 0);
    assert_result(paused, "nil");
    assert_int_equal(dl_rdq_underway_count(q), 0);
    dl_job *j12 = job_in(d[12]);
    assert_true(dl_job_launched_at(j12) == 10 && dl_job_stopped_at(j12) == 20);

    /* resume(8) at t=20: eight go. */
    assert_int_equal(dl_rdq_resume(q, 8), 0);
    assert_int_equal(dl_rdq_width(q), 8);
    assert_string_equal(args(dl_rdq_underway(q)), "{19, 21, 22, 23, 24, 25, 26, 27}");

    /* stop(): wait for those, then the jobs never processed. */
    dl_deferred *stopped = NULL;
    assert_int_equal(dl_rdq_stop(q, &stopped), 0);
    assert_false(stopped->called);
    dl_deferred *late = NULL;
    assert_int_equal(dl_rdq_put(q, I(99), 0, &late), DL_ERUNTIME);
    assert_string_equal(raised(), "Failure(QueueStopped: the queue has been stopped)");
    assert_int_equal(dl_clock_advance(clock_, 10), 0);
    assert_true(stopped->called);
    assert_string_equal(args(dl_retain(stopped->result)), "{28}");
    dl_job *j27 = job_in(d[27]);
    assert_true(dl_job_launched_at(j27) == 20 && dl_job_stopped_at(j27) == 30);
    assert_true(dl_job_queued_at(j27) == 10);
    dl_job *j28 = dl_job_of(dl_list_get(stopped->result, 0));
    assert_int_equal(dl_job_get_state(j28), DL_JOB_PENDING);
    assert_true(isnan(dl_job_launched_at(j28)));
    assert_int_equal(dl_rdq_resume(q, 1), DL_ERUNTIME);
    dl_release(dl_engine_take_raised(E));

    for (int i = 1; i <= 28; i++)
        if (d[i]) dl_deferred_release(d[i]);
    dl_deferred_release(paused);
    dl_deferred_release(stopped);
    dl_obj_release(q);
    dl_obj_release(clock_);
    assert_int_equal(E->unhandled_reported, 0);
}

/* A failing job: the Deferred fails with fn's type and message, args {job}. */
static void failing_job(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    dl_rdq *q =
        dl_rdq_new(dl_clock_reactor(clock_), cb_raise("boom", &dl_type_KeyError, "nope"), 1);
    dl_deferred *d = put(q, 1, 0);
    assert_string_equal(R(d->result), "Failure(KeyError: nope)");
    dl_job *job = job_in(d);
    assert_int_equal(dl_job_get_state(job), DL_JOB_FAILED);
    assert_string_equal(dl_job_state_name(dl_job_get_state(job)), "FAILED");
    assert_string_equal(R(dl_job_failure(job)), "Failure(KeyError: nope)");
    assert_false(dl_same(dl_job_failure(job), d->result));
    /* job.watch() after the end: already failed, the same way */
    dl_deferred *w = dl_job_watch(job);
    assert_true(dl_failure_check(w->result, &dl_type_KeyError));
    assert_ptr_equal(job_in(w), job);
    dl_deferred_add_errback(w, dl_fn_c(eat, NULL, "eat"));
    dl_deferred_add_errback(d, dl_fn_c(eat, NULL, "eat"));
    assert_int_equal(dl_job_cancel(job), 0); /* ended: nothing happens */
    assert_int_equal(dl_job_get_state(job), DL_JOB_FAILED);
    assert_int_equal(dl_rdq_underway_count(q), 0);
    dl_deferred_release(w);
    dl_deferred_release(d);
    dl_obj_release(q);
    dl_obj_release(clock_);
    assert_int_equal(E->unhandled_reported, 0);
}

/* Narrowing while idle wakes the idle workers with a no-op so they stop. */
static void narrow_idle_workers(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    dl_rdq *q = dl_rdq_new(dl_clock_reactor(clock_), dl_fn_c(send_sms, NULL, "sendSMS"), 3);
    assert_int_equal(dl_rdq_set_width(q, 1), 0);
    assert_int_equal(dl_rdq_width(q), 1);
    dl_deferred *a = put(q, 1, 0), *b = put(q, 2, 0);
    assert_string_equal(args(dl_rdq_underway(q)), "{1}");
    assert_string_equal(args(dl_rdq_pending(q)), "{2}");
    /* widen again while a narrowing is still pending */
    assert_int_equal(dl_rdq_set_width(q, 2), 0);
    assert_string_equal(args(dl_rdq_underway(q)), "{1, 2}");
    assert_int_equal(dl_clock_advance(clock_, 10), 0);
    assert_string_equal(R(dl_job_result(job_in(a))), "100");
    assert_string_equal(R(dl_job_result(job_in(b))), "200");
    /* resume() when not paused keeps the width; pause twice keeps it too */
    assert_int_equal(dl_rdq_resume(q, DL_RDQ_KEEP_WIDTH), 0);
    assert_int_equal(dl_rdq_width(q), 2);
    assert_int_equal(dl_rdq_pause(q, NULL), 0);
    assert_int_equal(dl_rdq_pause(q, NULL), 0);
    assert_int_equal(dl_rdq_width(q), 2);
    assert_int_equal(dl_rdq_set_width(q, 4), 0); /* paused: remembered */
    assert_int_equal(dl_rdq_resume(q, DL_RDQ_KEEP_WIDTH), 0);
    assert_int_equal(dl_rdq_width(q), 4);
    assert_int_equal(dl_rdq_set_width(q, -1), DL_EVALUE);
    assert_string_equal(raised(), "Failure(ValueError: Queue width cannot be negative.)");
    assert_int_equal(dl_rdq_reprioritize(q, job_in(a), 3), DL_ERUNTIME);
    assert_string_equal(raised(),
                        "Failure(RuntimeError: Cannot reprioritize a job that is not pending.)");
    assert_null(dl_rdq_new(dl_clock_reactor(clock_), dl_passthru(), -2));
    dl_release(dl_engine_take_raised(E));
    dl_deferred *stopped = NULL;
    assert_int_equal(dl_rdq_stop(q, &stopped), 0);
    assert_result(stopped, "{}"); /* nothing underway, nothing pending */
    dl_deferred_release(stopped);
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_obj_release(q);
    dl_obj_release(clock_);
}

/* Jobs that end at once run in a loop, not in a recursion. */
static dl_value instant(dl_value arg, void *ud)
{
    (void)ud;
    return dl_retain(arg);
}

static void many_instant_jobs(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    dl_rdq *q = dl_rdq_new(dl_clock_reactor(clock_), dl_fn_c(instant, NULL, "instant"), 0);
    enum { N = 100000 };
    static dl_deferred *ds[N];
    for (int i = 0; i < N; i++)
        ds[i] = put(q, i, N - i); /* reverse priority */
    assert_int_equal(dl_rdq_pending_count(q), N);
    assert_int_equal(dl_rdq_set_width(q, 1), 0);
    assert_int_equal(dl_rdq_pending_count(q), 0);
    assert_string_equal(R(dl_job_result(job_in(ds[0]))), R(I(0)));
    assert_string_equal(R(dl_job_result(job_in(ds[N - 1]))), R(I(N - 1)));
    for (int i = 0; i < N; i++)
        dl_deferred_release(ds[i]);
    dl_deferred *stopped = NULL;
    dl_rdq_stop(q, &stopped);
    assert_result(stopped, "{}");
    dl_deferred_release(stopped);
    dl_obj_release(q);
    dl_obj_release(clock_);
}

static void rdq_state_events(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    record_events();
    dl_rdq *q = dl_rdq_new(dl_clock_reactor(clock_), dl_fn_c(send_sms, NULL, "sendSMS"), 1);
    dl_deferred *a = put(q, 7, 2);
    dl_deferred *b = put(q, 8, 1);
    dl_clock_advance(clock_, 10);
    const char *expect[] = {
        "ResizableDispatchQueue {{\"width\", 0}, {\"workers\", 0}, {\"pending\", {}}, "
        "{\"underway\", {}}, {\"paused\", false}, {\"stopped\", false}}",
        "ResizableDispatchQueue {{\"width\", 1}, {\"workers\", 1}, {\"pending\", {}}, "
        "{\"underway\", {}}, {\"paused\", false}, {\"stopped\", false}}",
        "ResizableDispatchQueue {{\"width\", 1}, {\"workers\", 1}, {\"pending\", {}}, "
        "{\"underway\", {<Job #5 7 priority=2 UNDERWAY>}}, {\"paused\", false}, {\"stopped\", "
        "false}}",
        "ResizableDispatchQueue {{\"width\", 1}, {\"workers\", 1}, {\"pending\", {<Job #7 8 "
        "priority=1 PENDING>}}, {\"underway\", {<Job #5 7 priority=2 UNDERWAY>}}",
        "ResizableDispatchQueue {{\"width\", 1}, {\"workers\", 1}, {\"pending\", {<Job #7 8 "
        "priority=1 PENDING>}}, {\"underway\", {}}",
        "ResizableDispatchQueue {{\"width\", 1}, {\"workers\", 1}, {\"pending\", {}}, "
        "{\"underway\", {<Job #7 8 priority=1 UNDERWAY>}}",
    };
    const char *at = EVENTS;
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        at = strstr(at, expect[i]);
        assert_non_null(at);
        at += strlen(expect[i]);
    }
    /* one STATE per change: the launch of job 7 is not repeated by put() */
    const char *launched =
        "{\"pending\", {}}, {\"underway\", {<Job #5 7 priority=2 UNDERWAY>}}, {\"paused\", false}, "
        "{\"stopped\", false}}\n";
    const char *first = strstr(EVENTS, launched);
    assert_non_null(first);
    assert_null(strstr(strstr(first, "\n") + 1, launched));
    assert_non_null(strstr(EVENTS, "DeferredPriorityQueue {{\"pending\", {{<Job #7 8 priority=1 "
                                   "PENDING>, 1.0}}}, {\"waiting\", {}}}"));
    dl_value v = dl_rdq_value(q);
    assert_ptr_equal(dl_rdq_of(v), q);
    assert_string_equal(R(v), "<ResizableDispatchQueue #2 width=1 pending=0 underway=1>");
    dl_release(v);
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_obj_release(q);
    dl_obj_release(clock_);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dpq_priority_order, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(dpq_matches_model, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(sms_sender, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(failing_job, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(narrow_idle_workers, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(many_instant_jobs, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(rdq_state_events, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("rdq", tests, NULL, NULL);
}
