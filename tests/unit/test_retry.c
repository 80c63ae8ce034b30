/* test_retry.c - simpleBackoffIterator and RetryingCall on the virtual
 * Clock: the seed blog's S3 504 and Twitter one-404 testers. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/retry.h"

static const char *raised(void)
{
    static char buf[256];
    dl_value f = dl_engine_take_raised(E);
    snprintf(buf, sizeof buf, "%s", R(f));
    dl_release(f);
    return buf;
}

/* Every delay of b, "%g" each, space-separated; then b is released. */
static const char *drain(dl_backoff b)
{
    static char buf[512];
    buf[0] = '\0';
    double delay;
    dl_value f;
    int got;
    while ((got = dl_backoff_next(b, &delay, &f)) == 1)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%g", buf[0] ? " " : "", delay);
    if (got < 0) {
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " raised %s", R(f));
        dl_release(f);
    }
    assert_int_equal(dl_backoff_next(b, &delay, &f), 0); /* and stays exhausted */
    dl_backoff_release(b);
    return buf;
}

static dl_value plus_one(dl_value in, void *ud)
{
    (void)ud;
    return dl_num(in.u.n + 1);
}

static void backoff_sequences(void **state)
{
    (void)state;
    dl_backoff b;
    assert_int_equal(dl_simple_backoff(E, 10, 120, true, 0.01, dl_passthru(), &b), 0);
    assert_string_equal(drain(b), "0 0.01 0.02 0.04 0.08 0.16 0.32 0.64 1.28 2.56");
    /* exactly the doubles Python's 2.0 * delay gives */
    assert_int_equal(dl_simple_backoff(E, 10, 120, true, 0.01, dl_passthru(), &b), 0);
    double d, expect = 0.01;
    dl_value f;
    dl_backoff_next(b, &d, &f);
    for (int i = 0; i < 9; i++, expect *= 2.0) {
        assert_int_equal(dl_backoff_next(b, &d, &f), 1);
        assert_true(d == expect);
    }
    dl_backoff_release(b);

    assert_int_equal(dl_simple_backoff(E, 6, 0.05, false, 0.01, dl_passthru(), &b), 0);
    assert_string_equal(drain(b), "0.01 0.02 0.04 0.05 0.05 0.05"); /* capped at maxDelay */
    assert_int_equal(dl_simple_backoff(E, 4, 120, true, 1, cb_custom("inc", plus_one, NULL), &b),
                     0);
    assert_string_equal(drain(b), "0 1 2 3");
    /* incFunc runs when the generator resumes, even for the final check */
    assert_log("inc(1.0) inc(2.0) inc(3.0)");
    assert_int_equal(
        dl_simple_backoff(E, 3, 120, false, 1, cb_raise("inc", &dl_type_ValueError, "no"), &b), 0);
    assert_string_equal(drain(b), "1 raised Failure(ValueError: no)");
    clear_log();
    assert_int_equal(dl_simple_backoff(E, 0, 120, true, 0.01, dl_passthru(), &b), DL_EASSERTION);
    assert_string_equal(raised(),
                        "Failure(AssertionError: simpleBackoffIterator needs maxResults > 0)");
    const double list[] = {0.5, 1.5};
    assert_int_equal(dl_backoff_from_list(E, list, 2, &b), 0);
    assert_string_equal(drain(b), "0.5 1.5");
}

/* ---- a scripted getPage ---------------------------------------------------- */

typedef struct script {
    dl_clock *clock;
    dl_errtype *Error; /* twisted.web.error.Error, with args {status} */
    int status[16];    /* 0: success ("page"), -1: ValueError, -2: an unfired Deferred */
    size_t next;
    dl_value failures[16]; /* what each call raised (owned) */
    dl_deferred *pending;  /* status -2: the Deferred handed out (owned) */
} script;

static dl_value get_page(dl_value in, void *ud)
{
    (void)in;
    script *s = ud;
    size_t i = s->next++;
    logf_("@%g ", dl_clock_seconds(s->clock));
    int st = s->status[i];
    if (st == 0) return dl_cstr("page");
    if (st == -2) {
        s->pending = dl_deferred_new(E, canceller_log("pageCanceller"));
        return dl_deferred_value(s->pending);
    }
    dl_value f;
    if (st == -1) {
        f = dl_fail_value(&dl_type_ValueError, "not http");
    } else {
        dl_value args = dl_list_new(1);
        dl_list_push(args, dl_int(st));
        char msg[16];
        snprintf(msg, sizeof msg, "%d", st);
        dl_failure *fl = dl_failure_new(dl_exception_new(s->Error, msg, args), NULL);
        dl_obj_release(fl->exc); /* dl_failure_new retained it */
        f = dl_obj_value(DL_FAILURE, fl);
    }
    s->failures[i] = dl_retain(f);
    return f;
}

static void script_init(script *s, const int *statuses, size_t n)
{
    memset(s, 0, sizeof *s);
    s->clock = dl_clock_new(E);
    s->Error = dl_errtype_new("Error", NULL);
    memcpy(s->status, statuses, n * sizeof *statuses);
}

static void script_free(script *s)
{
    for (size_t i = 0; i < 16; i++)
        dl_release(s->failures[i]);
    if (s->pending) dl_deferred_release(s->pending);
    dl_obj_release(s->Error);
    dl_obj_release(s->clock);
}

/* Advance the clock call by call until nothing is pending. */
static void run_clock(dl_clock *c)
{
    size_t n;
    dl_delayed_call *const *calls;
    while ((calls = dl_clock_calls(c, &n)), n > 0) {
        double first = dl_delayed_call_get_time(calls[0]);
        for (size_t i = 1; i < n; i++)
            if (dl_delayed_call_get_time(calls[i]) < first)
                first = dl_delayed_call_get_time(calls[i]);
        assert_int_equal(dl_clock_advance(c, first - dl_clock_seconds(c)), 0);
    }
}

static int64_t status_of(dl_value f)
{
    return dl_list_get(dl_failure_of(f)->exc->args, 0).u.i;
}

/* The seed's S3 tester: failure.trap(error.Error); retry only 504. */
static dl_value s3_tester(dl_value f, void *ud)
{
    script *s = ud;
    if (!dl_failure_check(f, s->Error)) return dl_retain(f); /* trap re-raises */
    if (status_of(f) != 504) return dl_retain(f);
    return dl_none();
}

/* The seed's TwitterFailureTester: 500, 502, 503 retried; one 404 too. */
typedef struct twitter_tester {
    script *s;
    bool seen404;
} twitter_tester;

static dl_value twitter_test(dl_value f, void *ud)
{
    twitter_tester *t = ud;
    if (!dl_failure_check(f, t->s->Error)) return dl_retain(f);
    int64_t status = status_of(f);
    if (status == 404) {
        if (t->seen404) return dl_retain(f);
        t->seen404 = true;
    } else if (status != 500 && status != 502 && status != 503) {
        return dl_retain(f);
    }
    return dl_none();
}

static dl_deferred *start(dl_retrying_call *rc, dl_backoff b, dl_fn tester)
{
    dl_deferred *d = NULL;
    assert_int_equal(dl_retrying_call_start(rc, b, tester, &d), 0);
    return d;
}

static void s3_504_retried_until_success(void **state)
{
    (void)state;
    script s;
    script_init(&s, (int[]){504, 504, 0}, 3);
    dl_retrying_call *rc = dl_retrying_call_new(dl_clock_reactor(s.clock),
                                                cb_custom("getPage", get_page, &s), S("url"));
    dl_deferred *d = start(rc, dl_backoff_none(), cb_custom("test", s3_tester, &s));
    dl_deferred_add_callback(d, cb_log("done"));
    assert_log(""); /* even a 0.0 delay waits for the reactor */
    run_clock(s.clock);
    assert_log("getPage(\"url\") @0 test(Failure(Error: 504)) getPage(\"url\") @0.01 "
               "test(Failure(Error: 504)) getPage(\"url\") @0.03 done(\"page\")");
    assert_result(d, "\"page\"");
    assert_int_equal(dl_retrying_call_attempts(rc), 3);
    assert_true(dl_same(dl_retrying_call_failure(rc), s.failures[0]));
    assert_false(dl_retrying_call_running(rc));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);
}

static void s3_504_until_backoff_runs_out(void **state)
{
    (void)state;
    script s;
    int all504[10];
    for (int i = 0; i < 10; i++)
        all504[i] = 504;
    script_init(&s, all504, 10);
    dl_retrying_call *rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_deferred *d = start(rc, dl_backoff_none(), cb_custom("test", s3_tester, &s));
    run_clock(s.clock);
    /* ten tries at the default backoff, then the FIRST failure */
    char times[256] = "";
    for (const char *p = LOG; (p = strchr(p, '@')); p++) {
        size_t len = strcspn(p, " ");
        strncat(times, p, len);
        strcat(times, " ");
    }
    clear_log();
    assert_string_equal(times, "@0 @0.01 @0.03 @0.07 @0.15 @0.31 @0.63 @1.27 @2.55 @5.11 ");
    assert_int_equal(dl_retrying_call_attempts(rc), 10);
    assert_true(d->called);
    assert_true(dl_same(d->result, s.failures[0])); /* the very same Failure */
    assert_false(dl_same(d->result, s.failures[9]));
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);

    /* A 404 on S3 is final: the tester's failure ends it after one try. */
    script_init(&s, (int[]){404, 0}, 2);
    rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    const double delays[] = {0, 1};
    dl_backoff b;
    dl_backoff_from_list(E, delays, 2, &b);
    d = start(rc, b, cb_custom("test", s3_tester, &s));
    run_clock(s.clock);
    assert_true(dl_same(d->result, s.failures[0]));
    assert_int_equal(dl_retrying_call_attempts(rc), 1);
    assert_true(dl_clock_seconds(s.clock) == 0);
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);
    assert_int_equal(E->unhandled_reported, 0);
}

static void twitter_one_404(void **state)
{
    (void)state;
    script s;
    const double delays[] = {0, 1, 1, 1, 1};
    dl_backoff b;

    /* 500, 404, 502 are all survivable: the fourth try succeeds at t=3. */
    script_init(&s, (int[]){500, 404, 502, 0}, 4);
    twitter_tester t = {&s, false};
    dl_retrying_call *rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_backoff_from_list(E, delays, 5, &b);
    dl_deferred *d = start(rc, b, cb_custom("tester", twitter_test, &t));
    run_clock(s.clock);
    assert_result(d, "\"page\"");
    assert_true(dl_clock_seconds(s.clock) == 3);
    assert_int_equal(dl_retrying_call_attempts(rc), 4);
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);

    /* A second 404 is believed: it fails with that 404, not the first 503. */
    script_init(&s, (int[]){503, 404, 404, 0}, 4);
    t.s = &s;
    t.seen404 = false;
    rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_backoff_from_list(E, delays, 5, &b);
    d = start(rc, b, cb_custom("tester", twitter_test, &t));
    run_clock(s.clock);
    assert_true(dl_same(d->result, s.failures[2]));
    assert_true(dl_same(dl_retrying_call_failure(rc), s.failures[0]));
    assert_true(dl_clock_seconds(s.clock) == 2);
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);

    /* Anything that is not an HTTP error is re-raised by trap(). */
    script_init(&s, (int[]){-1, 0}, 2);
    t.s = &s;
    t.seen404 = false;
    rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_backoff_from_list(E, delays, 5, &b);
    d = start(rc, b, cb_custom("tester", twitter_test, &t));
    run_clock(s.clock);
    assert_result(d, "Failure(ValueError: not http)");
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);
    assert_int_equal(E->unhandled_reported, 0);
}

static void cancel_stops_retrying(void **state)
{
    (void)state;
    script s;
    /* Cancelled before the first try ran: its DelayedCall is cancelled. */
    script_init(&s, (int[]){0}, 1);
    dl_retrying_call *rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_deferred *d = start(rc, dl_backoff_none(), dl_passthru());
    assert_int_equal(dl_deferred_cancel(d), 0);
    assert_result(d, "Failure(CancelledError)");
    size_t n;
    dl_clock_calls(s.clock, &n);
    assert_int_equal(n, 0);
    assert_int_equal(dl_retrying_call_attempts(rc), 0);
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);

    /* Cancelled while f's Deferred is in flight: that one is cancelled. */
    script_init(&s, (int[]){-2}, 1);
    rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    d = start(rc, dl_backoff_none(), dl_passthru());
    run_clock(s.clock);
    clear_log();
    assert_false(d->called);
    assert_int_equal(dl_deferred_cancel(d), 0);
    assert_log("pageCanceller(<Deferred d#5>)");
    assert_result(d, "Failure(CancelledError)");
    assert_result(s.pending, "nil"); /* its CancelledError ended in _err */
    dl_clock_calls(s.clock, &n);
    assert_int_equal(n, 0);
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);
    assert_int_equal(E->unhandled_reported, 0);
}

static int raising_next(void *ud, double *delay, dl_value *failure)
{
    (void)ud;
    (void)delay;
    *failure = dl_fail_value(&dl_type_ValueError, "no delays today");
    return DL_ERAISED;
}

static const dl_backoff_class raising_class = {raising_next, NULL};

static void start_errors(void **state)
{
    (void)state;
    script s;
    script_init(&s, (int[]){504, 504}, 2);
    dl_retrying_call *rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_backoff b;
    dl_backoff_from_list(E, NULL, 0, &b);
    dl_deferred *d = NULL;
    assert_int_equal(dl_retrying_call_start(rc, b, dl_passthru(), &d), DL_EVALUE);
    assert_null(d);
    assert_string_equal(raised(),
                        "Failure(ValueError: RetryingCall: the backoff iterator gave no delays)");

    /* A backoff that raises for the first delay: start() itself fails. */
    b.cls = &raising_class;
    b.ud = NULL;
    assert_int_equal(dl_retrying_call_start(rc, b, dl_passthru(), &d), DL_ERAISED);
    assert_null(d);
    assert_string_equal(raised(), "Failure(ValueError: no delays today)");
    assert_false(dl_retrying_call_running(rc));

    /* The backoff raising after the first try fails start()'s Deferred. */
    dl_simple_backoff(E, 3, 120, false, 1, cb_raise("inc", &dl_type_KeyError, "inc"), &b);
    d = start(rc, b, dl_passthru());
    dl_deferred *again = NULL;
    assert_int_equal(dl_retrying_call_start(rc, dl_backoff_none(), dl_passthru(), &again),
                     DL_ERUNTIME);
    assert_string_equal(raised(), "Failure(RuntimeError: RetryingCall is already running)");
    run_clock(s.clock);
    assert_result(d, "Failure(KeyError: inc)");
    assert_int_equal(dl_retrying_call_attempts(rc), 1);
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);
}

static void retry_state_events(void **state)
{
    (void)state;
    script s;
    script_init(&s, (int[]){504, 0}, 2);
    record_events();
    dl_retrying_call *rc =
        dl_retrying_call_new(dl_clock_reactor(s.clock), cb_custom("getPage", get_page, &s), S("u"));
    dl_deferred *d = start(rc, dl_backoff_none(), dl_passthru());
    run_clock(s.clock);
    const char *expect[] = {
        "state d=2 RetryingCall {{\"attempts\", 0}, {\"nextDelay\", nil}, {\"failure\", nil}, "
        "{\"running\", false}}",
        "state d=2 RetryingCall {{\"attempts\", 0}, {\"nextDelay\", 0.0}, {\"failure\", nil}, "
        "{\"running\", true}}",
        "state d=2 RetryingCall {{\"attempts\", 1}, {\"nextDelay\", nil}, {\"failure\", nil}, "
        "{\"running\", true}}",
        "state d=2 RetryingCall {{\"attempts\", 1}, {\"nextDelay\", nil}, {\"failure\", "
        "Failure(Error: 504)}, {\"running\", true}}",
        "state d=2 RetryingCall {{\"attempts\", 1}, {\"nextDelay\", 0.01}, {\"failure\", "
        "Failure(Error: 504)}, {\"running\", true}}",
        "state d=2 RetryingCall {{\"attempts\", 2}, {\"nextDelay\", nil}, {\"failure\", "
        "Failure(Error: 504)}, {\"running\", true}}",
        "state d=2 RetryingCall {{\"attempts\", 2}, {\"nextDelay\", nil}, {\"failure\", "
        "Failure(Error: 504)}, {\"running\", false}}",
    };
    const char *at = EVENTS;
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        at = strstr(at, expect[i]);
        assert_non_null(at);
        at += strlen(expect[i]);
    }
    assert_null(strstr(at, "RetryingCall"));
    assert_result(d, "\"page\"");
    dl_value v = dl_retrying_call_value(rc);
    assert_ptr_equal(dl_retrying_call_of(v), rc);
    assert_string_equal(R(v), "<RetryingCall #2 getPage attempts=2>");
    dl_release(v);
    dl_deferred_release(d);
    dl_obj_release(rc);
    script_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(backoff_sequences, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(s3_504_retried_until_success, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(s3_504_until_backoff_runs_out, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(twitter_one_404, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(cancel_stops_retrying, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(start_errors, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(retry_state_events, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("retry", tests, NULL, NULL);
}
