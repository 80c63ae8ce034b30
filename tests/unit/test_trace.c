/* test_trace.c - the trace writer and reader: real engine scenarios written
 * to a file and read back must rebuild exactly the model seen live, at every
 * step; the reader refuses or tolerates bad input as documented. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/primitives.h"
#include "trace/model.h"
#include "trace/reader.h"

/* ---- live recording: the model's dump after every event ---------------- */

typedef struct live {
    FILE *f;
    dl_trace_writer *w;
    dl_model *m;
    char **dumps; /* dumps[i + 1]: state after event i; dumps[0]: before any */
    size_t n, cap;
    int line;
} live;

static live L;

static void push_dump(live *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->dumps = realloc(l->dumps, l->cap * sizeof *l->dumps);
        assert_non_null(l->dumps);
    }
    l->dumps[l->n] = dl_model_dump(l->m);
    assert_non_null(l->dumps[l->n]);
    l->n++;
}

static void live_observe(void *ud, const dl_event *ev)
{
    live *l = ud;
    dl_model_observe(l->m, ev);
    push_dump(l);
}

/* Every event gets a script location, as the Lua host would give. */
static void live_locate(void *ud, const char **file, int *line)
{
    live *l = ud;
    *file = "lessons/01-t\xc3\xa9st.md";
    *line = ++l->line;
}

static void live_start(dl_semantics sem)
{
    memset(&L, 0, sizeof L);
    L.f = tmpfile();
    assert_non_null(L.f);
    dl_trace_producer p = {"lessons/01-test.md", sem, false};
    L.w = dl_trace_writer_new(L.f, &p);
    L.m = dl_model_new();
    assert_non_null(L.w);
    assert_non_null(L.m);
    dl_model_attach_writer(L.m, L.w);
    E->semantics = sem;
    dl_engine_observe(E, live_observe, &L);
    E->locator = live_locate;
    E->locator_ud = &L;
    push_dump(&L);
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_num(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static void assert_rec_equal(const dl_trace_rec *a, const dl_trace_rec *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_string_equal(a->kind_name, b->kind_name);
    assert_int_equal(a->seq, b->seq);
    assert_true(same_num(a->t, b->t));
    assert_int_equal(a->d, b->d);
    assert_int_equal(a->other, b->other);
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->slot, b->slot);
    assert_int_equal(a->vkind, b->vkind);
    assert_int_equal(a->has, b->has);
    assert_int_equal(a->count, b->count);
    assert_true(same_num(a->num, b->num));
    assert_int_equal(a->line, b->line);
    assert_true(same_str(a->value, b->value));
    assert_true(same_str(a->name, b->name));
    assert_true(same_str(a->name2, b->name2));
    assert_true(same_str(a->text, b->text));
    assert_true(same_str(a->file, b->file));
    assert_int_equal(a->nstate, b->nstate);
    for (uint32_t i = 0; i < a->nstate; i++) {
        assert_string_equal(a->state[i].key, b->state[i].key);
        assert_string_equal(a->state[i].repr, b->state[i].repr);
        assert_int_equal(a->state[i].nids, b->state[i].nids);
        for (uint32_t j = 0; j < a->state[i].nids; j++)
            assert_int_equal(a->state[i].ids[j], b->state[i].ids[j]);
    }
}

static void assert_model_at(dl_model *m, int64_t i, const char *expected)
{
    assert_int_equal(dl_model_seek(m, i), 0);
    char *got = dl_model_dump(m);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fail_msg("model differs at step %lld\n--- expected\n%s--- got\n%s", (long long)i, expected,
                 got);
    free(got);
}

/* The reader has a fast path for the writer's flat lines and falls back to
 * jansson for anything else. An unknown nested field on every event line
 * forces the jansson path: both must load the very same records. */
static dl_trace *load_via_jansson(const char *text, const char *name)
{
    size_t n = strlen(text);
    char *alt = malloc(2 * n + 64), *o = alt;
    assert_non_null(alt);
    const char *nl = strchr(text, '\n');
    memcpy(o, text, (size_t)(nl + 1 - text)); /* the header as is */
    o += nl + 1 - text;
    for (const char *p = nl + 1; *p; p++) {
        *o++ = *p;
        if (*p == '{' && (p == text || p[-1] == '\n')) o += sprintf(o, "\"zz\":[{}],");
    }
    *o = '\0';
    FILE *f = tmpfile();
    fputs(alt, f);
    rewind(f);
    dl_trace *t = NULL;
    char err[512];
    if (dl_trace_load_stream(f, name, &t, err, sizeof err)) fail_msg("jansson path: %s", err);
    fclose(f);
    free(alt);
    return t;
}

static char *slurp(FILE *f);

/* End the run (the engine reports leftover unhandled failures while still
 * observed), write, read back, and compare at every step. Returns the
 * number of events. */
static size_t live_finish_and_check(void)
{
    dl_engine_free(E);
    E = NULL;
    assert_int_equal(dl_model_error(L.m), 0);
    assert_int_equal(dl_trace_writer_close(L.w), 0);
    rewind(L.f);
    dl_trace *t = NULL;
    char err[512];
    int rc = dl_trace_load_stream(L.f, "run.jsonl", &t, err, sizeof err);
    if (rc) fail_msg("load failed: %s", err);
    assert_int_equal(t->nwarnings, 0);
    assert_int_equal(t->header.version, DL_TRACE_VERSION);
    assert_string_equal(t->header.engine, DL_TRACE_ENGINE);
    assert_string_equal(t->header.source, "lessons/01-test.md");
    assert_string_equal(t->header.clock, "virtual");
    size_t n = dl_model_len(L.m);
    assert_int_equal(t->len, n);
    assert_int_equal(L.n, n + 1);
    for (size_t i = 0; i < n; i++)
        assert_rec_equal(dl_model_event(L.m, i), &t->recs[i]);
    char *text = slurp(L.f);
    dl_trace *slow = load_via_jansson(text, "slow.jsonl");
    assert_int_equal(slow->len, n);
    assert_int_equal(slow->unknown_fields, n);
    for (size_t i = 0; i < n; i++)
        assert_rec_equal(&slow->recs[i], &t->recs[i]);
    dl_trace_free(slow);
    free(text);

    dl_model *r = dl_model_new_from_trace(t);
    assert_non_null(r);
    assert_int_equal(dl_model_cursor(r), -1);
    /* Forwards, then backwards (every step a seek to i - 1), on both the
     * replay and the live model itself. */
    for (int64_t i = -1; i < (int64_t)n; i++)
        assert_model_at(r, i, L.dumps[i + 1]);
    for (int64_t i = (int64_t)n - 1; i >= -1; i--) {
        assert_model_at(r, i, L.dumps[i + 1]);
        assert_model_at(L.m, i, L.dumps[i + 1]);
    }
    dl_model_free(r);
    dl_model_free(L.m);
    fclose(L.f);
    for (size_t i = 0; i < L.n; i++)
        free(L.dumps[i]);
    free(L.dumps);
    return n;
}

/* ---- round trips -------------------------------------------------------- */

static void round_trip_errbacks(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_TWISTED);
    dl_deferred *d = D("chain \"quoted\"\n");
    dl_deferred_add_callback(d, cb_ret("double", I(10)));
    dl_deferred_add_callback(d, cb_raise("boom", &dl_type_ValueError, "bad \"x\"\t\x01"));
    dl_deferred_add_errback(d, cb_log("eb_log"));
    dl_deferred_add_callbacks(d, cb_log("skipped"), cb_ret("recover", S("ok")));
    dl_deferred_add_callback(d, cb_log("show"));
    dl_deferred_pause(d);
    dl_deferred_callback(d, I(5));
    dl_deferred_unpause(d);
    assert_log("double(5) boom(10) eb_log(Failure(ValueError: bad \"x\"\t\x01)) recover(Failure("
               "ValueError: bad \"x\"\t\x01)) show(\"ok\")");
    dl_deferred_callback(d, I(6)); /* AlreadyCalledError */
    dl_release(dl_engine_take_raised(E));
    dl_deferred_release(d);
    assert_true(live_finish_and_check() > 15);
}

static void round_trip_returned_deferred(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_TWISTED);
    dl_deferred *outer = D("outer"), *inner = D("inner");
    dl_deferred_add_callback(outer, cb_defer("get_inner", inner));
    dl_deferred_add_callback(outer, cb_log("after"));
    dl_deferred_add_callback(inner, cb_ret("inner_cb", I(42)));
    dl_deferred_callback(outer, I(1));
    dl_deferred_callback(inner, S("x"));
    assert_log("get_inner(1) inner_cb(\"x\") after(42)");
    /* A ready returned Deferred is stolen instead. */
    dl_deferred *o2 = D("o2"), *ready = dl_succeed(E, I(7));
    dl_deferred_add_callback(o2, cb_defer("give_ready", ready));
    dl_deferred_callback(o2, I(0));
    assert_result(o2, "7");
    dl_deferred_release(ready);
    dl_deferred_release(o2);
    dl_deferred_release(outer);
    dl_deferred_release(inner);
    live_finish_and_check();
}

static void round_trip_cancel(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_TWISTED);
    dl_deferred *a = dl_deferred_new(E, canceller_log("stop_it"));
    dl_deferred_add_errback(a, cb_ret("swallow", I(0)));
    dl_deferred_cancel(a);
    dl_deferred_callback(a, I(1)); /* already called */
    dl_release(dl_engine_take_raised(E));
    dl_deferred *b = D("no canceller");
    dl_deferred_add_errback(b, cb_ret("swallow", I(0)));
    dl_deferred_cancel(b);
    dl_deferred_callback(b, I(1)); /* suppressed */
    dl_deferred *c = dl_deferred_new(E, canceller_raise("bad_canceller", &dl_type_KeyError, "k"));
    dl_deferred_cancel(c);
    dl_release(dl_engine_take_raised(E));
    dl_deferred_callback(c, I(3));
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
    live_finish_and_check();
}

static void round_trip_unhandled(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_TWISTED);
    dl_deferred *lost = D("lost");
    dl_deferred_errback(lost, F(&dl_type_ValueError, "nobody listens"));
    dl_deferred_release(lost); /* reported now */
    dl_deferred *kept = D("kept until the end");
    dl_deferred_errback(kept, F(&dl_type_ValueError, "reported at engine teardown"));
    live_finish_and_check();
}

static void chain_scenario(void)
{
    dl_deferred *a = D("a"), *b = D("b");
    dl_deferred_add_callback(b, cb_log("b_cb"));
    dl_deferred_chain(a, b);
    dl_deferred_add_callback(a, cb_log("a_after"));
    dl_deferred_callback(a, I(7));
    dl_deferred_callback(b, I(8)); /* refused under "proposed", already called under Twisted */
    dl_release(dl_engine_take_raised(E));
    dl_deferred *c = D("c"), *e = D("e");
    dl_deferred_chain(c, e);
    dl_deferred_cancel(c);
    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
    dl_deferred_release(e);
}

static void round_trip_chain_twisted(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_TWISTED);
    chain_scenario();
    live_finish_and_check();
}

static void round_trip_chain_proposed(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_PROPOSED);
    chain_scenario();
    live_finish_and_check();
}

static dl_value tick(dl_value arg, void *ud)
{
    (void)ud;
    dl_engine_emit_text(E, DL_EV_OUTPUT, "tick \xe2\x9c\x93 \xff\xfe bad bytes, \"quotes\" \\");
    return dl_retain(arg);
}

static void round_trip_structures_and_clock(void **state)
{
    (void)state;
    live_start(DL_SEMANTICS_TWISTED);
    dl_event cell = {.kind = DL_EV_CELL, .count = 1};
    dl_engine_emit(E, &cell);
    dl_clock *clock = dl_clock_new(E);
    E->now = dl_clock_now;
    E->now_ud = clock;
    dl_queue *q = dl_queue_new(E, 2, -1);
    dl_deferred *g1 = NULL, *g2 = NULL;
    assert_int_equal(dl_queue_get(q, &g1), 0);
    assert_int_equal(dl_queue_get(q, &g2), 0);
    dl_deferred_add_callback(g1, cb_log("got1"));
    dl_engine_emit_text(E, DL_EV_NOTE, "two getters wait");
    dl_delayed_call *c1 =
        dl_reactor_call_later(dl_clock_reactor(clock), 1.5, dl_fn_c(tick, NULL, "tick"), I(1));
    dl_delayed_call *c2 =
        dl_reactor_call_later(dl_clock_reactor(clock), 3, dl_fn_c(tick, NULL, "never"), I(2));
    dl_delayed_call *c3 =
        dl_reactor_call_later(dl_clock_reactor(clock), 0.1, dl_fn_c(tick, NULL, "moved"), I(3));
    dl_delayed_call_delay(c3, 0.2);
    dl_delayed_call_cancel(c2);
    dl_queue_put(q, S("item"));
    dl_clock_advance(clock, 0.25);
    dl_clock_advance(clock, 2);
    assert_log("got1(\"item\")");
    dl_obj_release(c1);
    dl_obj_release(c2);
    dl_obj_release(c3);
    dl_deferred_release(g1);
    dl_deferred_release(g2);
    dl_obj_release(q);
    E->now = NULL;
    dl_reactor_close(dl_clock_reactor(clock));
    dl_obj_release(clock);
    size_t n = live_finish_and_check();
    assert_true(n > 10);
}

/* ---- the writer's text ------------------------------------------------ */

static char *slurp(FILE *f)
{
    long n;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

static void writer_lines(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    dl_trace_producer p = {NULL, DL_SEMANTICS_PROPOSED, true};
    dl_trace_writer *w = dl_trace_writer_new(f, &p);
    dl_engine_observe(E, dl_trace_writer_observe, w);
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_log("f"));
    dl_deferred_pause(d);
    dl_deferred_unpause(d);
    dl_deferred_callback(d, dl_none());
    dl_deferred_release(d);
    assert_int_equal(dl_trace_writer_count(w), 8);
    dl_engine_observe(E, NULL, NULL);
    assert_int_equal(dl_trace_writer_close(w), 0);
    char *text = slurp(f);
    assert_string_equal(
        text, "{\"format\":\"deferlab-trace\",\"version\":1,\"producer\":{\"source\":null,"
              "\"engine\":\"deferlab 0.1\",\"semantics\":\"proposed\",\"clock\":\"realtime\"}}\n"
              "{\"seq\":0,\"t\":0,\"kind\":\"created\",\"d\":1,\"text\":\"Deferred\"}\n"
              "{\"seq\":1,\"t\":0,\"kind\":\"label\",\"d\":1,\"text\":\"d\"}\n"
              "{\"seq\":2,\"t\":0,\"kind\":\"added\",\"d\":1,\"index\":1,\"name\":\"f\","
              "\"name2\":\"passthru\"}\n"
              "{\"seq\":3,\"t\":0,\"kind\":\"paused\",\"d\":1,\"count\":1}\n"
              "{\"seq\":4,\"t\":0,\"kind\":\"unpaused\",\"d\":1,\"count\":0}\n"
              "{\"seq\":5,\"t\":0,\"kind\":\"fired\",\"d\":1,\"value\":\"nil\",\"vkind\":\"none\","
              "\"text\":\"callback\"}\n"
              "{\"seq\":6,\"t\":0,\"kind\":\"call\",\"d\":1,\"index\":1,\"slot\":\"callback\","
              "\"value\":\"nil\",\"vkind\":\"none\",\"name\":\"f\"}\n"
              "{\"seq\":7,\"t\":0,\"kind\":\"return\",\"d\":1,\"index\":1,\"slot\":\"callback\","
              "\"value\":\"nil\",\"vkind\":\"none\",\"name\":\"f\"}\n");
    free(text);
    fclose(f);
}

/* A STATE event with Deferreds in it: the ids object. */
static void writer_state_ids(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    dl_trace_writer *w = dl_trace_writer_new(f, NULL);
    dl_deferred *a = D("a"), *b = D("b");
    dl_value list = dl_list_new(2);
    dl_list_push(list, dl_deferred_value(a));
    dl_list_push(list, dl_deferred_value(b));
    dl_value snap = dl_list_new(3);
    dl_list_push(snap, dl_pair_new(dl_cstr("waiting"), list));
    dl_list_push(snap, dl_pair_new(dl_cstr("size"), dl_num(2.5)));
    dl_list_push(snap, dl_pair_new(dl_cstr("empty"), dl_list_new(0)));
    dl_event ev = {.kind = DL_EV_STATE,
                   .seq = 9,
                   .time = 0.1,
                   .d = 4,
                   .text = "DeferredQueue",
                   .name = "q",
                   .value = snap};
    dl_trace_writer_observe(w, &ev);
    dl_release(snap);
    assert_int_equal(dl_trace_writer_close(w), 0);
    char *text = slurp(f);
    const char *line = strchr(text, '\n') + 1;
    assert_string_equal(line, "{\"seq\":9,\"t\":0.1,\"kind\":\"state\",\"d\":4,\"name\":\"q\","
                              "\"text\":\"DeferredQueue\",\"state\":{\"waiting\":\"{<Deferred a>, "
                              "<Deferred b>}\",\"size\":\"2.5\",\"empty\":\"{}\"},"
                              "\"ids\":{\"waiting\":[1,2]}}\n");
    rewind(f);
    dl_trace *t = NULL;
    char err[256];
    assert_int_equal(dl_trace_load_stream(f, "s.jsonl", &t, err, sizeof err), 0);
    assert_int_equal(t->len, 1);
    assert_int_equal(t->recs[0].nstate, 3);
    assert_int_equal(t->recs[0].state[0].nids, 2);
    assert_int_equal(t->recs[0].state[0].ids[1], 2);
    assert_int_equal(t->recs[0].state[2].nids, 0);
    assert_true(t->recs[0].t == 0.1);
    dl_trace_free(t);
    free(text);
    fclose(f);
    dl_deferred_release(a);
    dl_deferred_release(b);
}

/* Errors are reported, not ignored: a stream that cannot be written. */
static void writer_reports_errors(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f) skip();
    dl_trace_writer *w = dl_trace_writer_new(f, NULL);
    dl_trace_rec rec = {
        .kind = DL_EV_NOTE, .kind_name = "note", .slot = -1, .vkind = -1, .text = "x"};
    for (int i = 0; i < 100000 && dl_trace_writer_write(w, &rec) == 0; i++)
        continue;
    assert_int_equal(dl_trace_writer_error(w), DL_TRACE_EIO);
    assert_int_equal(dl_trace_writer_close(w), DL_TRACE_EIO);
    fclose(f);
}

/* ---- the reader's tolerance and refusals ------------------------------ */

#define HEADER "{\"format\":\"deferlab-trace\",\"version\":1,\"producer\":{}}\n"

static int load_text(const char *text, size_t len, dl_trace **t, char *err, size_t errlen)
{
    char path[] = "/tmp/dl-trace-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    int rc = dl_trace_load(path, t, err, errlen);
    /* Messages name the file; make them comparable. */
    char *at = strstr(err, path);
    if (at) {
        memmove(at + 1, at + strlen(path), strlen(at + strlen(path)) + 1);
        at[0] = '@';
    }
    unlink(path);
    return rc;
}

static void assert_refused(const char *text, size_t len, int code, const char *msg)
{
    dl_trace *t = (dl_trace *)&t;
    char err[512];
    assert_int_equal(load_text(text, len, &t, err, sizeof err), code);
    assert_null(t);
    assert_string_equal(err, msg);
}

static void reader_refusals(void **state)
{
    (void)state;
    assert_refused("", 0, DL_TRACE_EFORMAT, "@:1: empty file: a trace starts with a header line");
    assert_refused("\x7f"
                   "ELF\x01\x02\x00\xff\xfe junk",
                   13, DL_TRACE_EFORMAT,
                   "@:1: not a deferlab trace: the header is not JSON ('[' or '{' "
                   "expected near '?')");
    assert_refused("{\"format\":\"chrome-trace\",\"version\":1}\n", 39, DL_TRACE_EFORMAT,
                   "@:1: not a deferlab trace: the first line must be a header with \"format\": "
                   "\"deferlab-trace\" (found \"chrome-trace\")");
    const char *future = "{\"format\":\"deferlab-trace\",\"version\":2}\n{\"seq\":0}\n";
    assert_refused(future, strlen(future), DL_TRACE_EVERSION,
                   "@:1: trace format version 2 is newer than this deferlab reads (up to 1); "
                   "upgrade deferlab to open it");
    const char *arr = HEADER "{\"seq\":0,\"t\":0,\"kind\":\"note\"}\n[1,2]\n{\"seq\":1,\"kind\":"
                             "\"note\"}\n";
    assert_refused(arr, strlen(arr), DL_TRACE_EFORMAT, "@:3: expected a JSON object, got an array");
    const char *mid = HEADER "{\"seq\":0,\"kind\":\"note\"\n{\"seq\":1,\"kind\":\"note\"}\n";
    assert_refused(mid, strlen(mid), DL_TRACE_EFORMAT,
                   "@:2: not valid JSON ('}' expected near end of file, column 22)");
    const char *type = HEADER "\n{\"seq\":0,\"kind\":\"added\",\"index\":\"one\"}\n";
    assert_refused(type, strlen(type), DL_TRACE_EFORMAT,
                   "@:3: field \"index\" must be an id (0..4294967295), got a string");
    const char *nokind = HEADER "{\"seq\":0}\n";
    assert_refused(nokind, strlen(nokind), DL_TRACE_EFORMAT, "@:2: event has no \"kind\"");
    dl_trace *t = NULL;
    char err[256];
    assert_int_equal(dl_trace_load("/nonexistent/x.jsonl", &t, err, sizeof err), DL_TRACE_EIO);
    assert_string_equal(err, "/nonexistent/x.jsonl: cannot open: No such file or directory");
}

static void reader_tolerance(void **state)
{
    (void)state;
    const char *text =
        HEADER "{\"seq\":0,\"t\":0,\"kind\":\"created\",\"d\":1,\"text\":\"Deferred\","
               "\"colour\":\"red\"}\n"
               "{\"seq\":1,\"t\":0.5,\"kind\":\"teleported\",\"d\":1,\"where\":[1]}\n"
               "\n"
               "{\"seq\":2,\"t\":1,\"kind\":\"fired\",\"d\":1,\"value\":\"5\",\"vkind\":\"int\","
               "\"text\":\"callback\",\"future\":{}}\n"
               "{\"seq\":3,\"t\":1,\"kind\":\"call\",\"d\":1,\"ind";
    dl_trace *t = NULL;
    char err[256] = "";
    assert_int_equal(load_text(text, strlen(text), &t, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(t->len, 3);
    assert_int_equal(t->unknown_kinds, 1);
    assert_int_equal(t->unknown_fields, 3);
    assert_int_equal(t->skipped_lines, 1);
    assert_int_equal(t->recs[1].kind, -1);
    assert_string_equal(t->recs[1].kind_name, "teleported");
    assert_int_equal(t->nwarnings, 3);
    assert_non_null(strstr(t->warnings[0], ":6: skipped a truncated last line"));
    assert_non_null(strstr(t->warnings[1], ":3: kept 1 event(s) of unknown kinds (first: "
                                           "\"teleported\")"));
    assert_non_null(strstr(t->warnings[2], ":2: skipped 3 unknown field(s) (first: \"colour\")"));
    /* The model folds around the unknown kind. */
    dl_model *m = dl_model_new_from_trace(t);
    assert_int_equal(dl_model_seek(m, 2), 0);
    const dl_model_deferred *d = dl_model_find_deferred(m, 1);
    assert_non_null(d);
    assert_int_equal(d->state, DL_MD_SUCCESS);
    assert_string_equal(d->result, "5");
    assert_int_equal(d->result_kind, DL_INT);
    assert_int_equal(dl_model_seek(m, 3), DL_EINVAL);
    dl_model_free(m);

    /* A header alone (a run that emitted nothing) is a valid empty trace;
     * a truncated last line followed only by blank lines is still the last. */
    const char *only = HEADER "{\"seq\":0,\"kind\":\"no\n\n\n";
    assert_int_equal(load_text(only, strlen(only), &t, err, sizeof err), 0);
    assert_int_equal(t->len, 0);
    assert_int_equal(t->skipped_lines, 1);
    assert_non_null(strstr(t->warnings[0], ":2: skipped a truncated last line"));
    dl_trace_free(t);

    /* A byte-order mark before the header is tolerated. */
    const char *bom = "\xef\xbb\xbf" HEADER "{\"seq\":0,\"kind\":\"note\",\"text\":\"hi\"}\n";
    assert_int_equal(load_text(bom, strlen(bom), &t, err, sizeof err), 0);
    assert_int_equal(t->len, 1);
    assert_int_equal(t->nwarnings, 0);
    assert_string_equal(t->recs[0].text, "hi");
    dl_trace_free(t);

    /* Events out of order are kept in file order, counted, and said once. */
    const char *disorder = HEADER "{\"seq\":0,\"kind\":\"note\",\"text\":\"a\"}\n"
                                  "{\"seq\":7,\"kind\":\"note\",\"text\":\"b\"}\n"
                                  "{\"seq\":5,\"kind\":\"note\",\"text\":\"c\"}\n"
                                  "{\"seq\":5,\"kind\":\"note\",\"text\":\"d\"}\n"
                                  "{\"seq\":9,\"kind\":\"note\",\"text\":\"e\"}\n";
    assert_int_equal(load_text(disorder, strlen(disorder), &t, err, sizeof err), 0);
    assert_int_equal(t->len, 5);
    assert_int_equal(t->out_of_order, 2);
    assert_string_equal(t->recs[2].text, "c");
    assert_int_equal(t->nwarnings, 1);
    assert_non_null(strstr(t->warnings[0], ":4: 2 event(s) out of order (first: seq 5 after seq "
                                           "7); the steps are shown in file order"));
    dl_trace_free(t);
}

/* Odd but valid spellings on the fast path and through jansson agree. */
static void reader_fast_path_agrees(void **state)
{
    (void)state;
    const char *text = HEADER
        "{\"seq\":0,\"t\":1e3,\"kind\":\"note\",\"text\":\"a\\/b\\b\\f\\u001f\\u0041\"}\n"
        "{\"seq\":1,\"t\":-0,\"kind\":\"note\",\"text\":\"\\u00e9\xc3\xa9\xe2\x9c\x93\"}\n"
        "{\"seq\":2,\"t\":0.1,\"kind\":\"clock-advance\",\"d\":4294967295,\"num\":1E+2}\n"
        " { \"seq\" : 3 , \"t\" : 2.5e-3 , \"kind\" : \"paused\" , \"d\" : 1 , \"count\" : -2 } \n"
        "{\"seq\":123456789012345678,\"t\":null,\"kind\":\"call\",\"num\":null,"
        "\"slot\":\"errback\",\"value\":\"x\",\"vkind\":\"weird\",\"line\":7}\n"
        "{\"seq\":1234567890123456789,\"t\":1.7976931348623157e308,\"kind\":\"note\"}\n"
        "{\"seq\":6,\"t\":4.9e-324,\"kind\":\"note\",\"seq\":7}\n";
    FILE *f = tmpfile();
    fputs(text, f);
    rewind(f);
    dl_trace *fast = NULL;
    char err[256];
    assert_int_equal(dl_trace_load_stream(f, "fast.jsonl", &fast, err, sizeof err), 0);
    fclose(f);
    dl_trace *slow = load_via_jansson(text, "slow.jsonl");
    assert_int_equal(fast->len, 7);
    assert_int_equal(slow->len, 7);
    for (size_t i = 0; i < fast->len; i++)
        assert_rec_equal(&fast->recs[i], &slow->recs[i]);
    assert_string_equal(fast->recs[0].text, "a/b\b\f\x1f"
                                            "A");
    assert_true(fast->recs[0].t == 1000);
    assert_string_equal(fast->recs[1].text, "\xc3\xa9\xc3\xa9\xe2\x9c\x93");
    assert_int_equal(fast->recs[2].d, 4294967295u);
    assert_true(fast->recs[2].num == 100);
    assert_int_equal(fast->recs[3].count, -2);
    assert_true(isnan(fast->recs[4].t));
    assert_int_equal(fast->recs[4].vkind, -1);
    assert_int_equal(fast->recs[4].slot, DL_SLOT_ERRBACK);
    assert_int_equal(fast->recs[5].seq, 1234567890123456789u);
    assert_int_equal(fast->recs[6].seq, 7);
    dl_trace_free(fast);
    dl_trace_free(slow);
}

/* ---- size ------------------------------------------------------------- */

/* A million records: the record array and the string arena move from
 * malloc to huge-page blocks (bigmem.h) on the way, and every record must
 * read back as written, on both sides of the switch. */
static void million_records_round_trip(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    dl_trace_writer *w = dl_trace_writer_new(f, NULL);
    dl_value v = S("a value");
    const size_t n = 1000000;
    for (size_t i = 0; i < n; i++) {
        dl_event ev = {.kind = (i & 1) ? DL_EV_RETURN : DL_EV_CALL,
                       .seq = i,
                       .time = (double)(i / 100),
                       .d = (uint32_t)(i / 10 + 1),
                       .index = 3,
                       .name = "callback_name",
                       .value = (i & 2) ? v : dl_int((int64_t)i),
                       .file = "lessons/01.md",
                       .line = 42};
        dl_trace_writer_observe(w, &ev);
    }
    assert_int_equal(dl_trace_writer_close(w), 0);
    rewind(f);
    dl_trace *t = NULL;
    char err[256];
    assert_int_equal(dl_trace_load_stream(f, "million.jsonl", &t, err, sizeof err), 0);
    assert_int_equal(t->len, n);
    assert_true(t->recs_big);
    const size_t probe[] = {0, 1, 2, 3, 20000, 40000, 65535, 65536, 131072, 500001, n - 2, n - 1};
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
        size_t i = probe[k];
        const dl_trace_rec *r = &t->recs[i];
        char want[32];
        snprintf(want, sizeof want, "%zu", i);
        assert_int_equal(r->seq, i);
        assert_int_equal(r->kind, (i & 1) ? DL_EV_RETURN : DL_EV_CALL);
        assert_int_equal(r->d, i / 10 + 1);
        assert_string_equal(r->name, "callback_name");
        assert_string_equal(r->file, "lessons/01.md");
        assert_string_equal(r->value, (i & 2) ? "\"a value\"" : want);
    }
    dl_trace_free(t);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip_errbacks, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(round_trip_returned_deferred, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(round_trip_cancel, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(round_trip_unhandled, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(round_trip_chain_twisted, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(round_trip_chain_proposed, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(round_trip_structures_and_clock, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(writer_lines, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(writer_state_ids, setup_engine, teardown_engine),
        cmocka_unit_test(writer_reports_errors),
        cmocka_unit_test(reader_refusals),
        cmocka_unit_test(reader_tolerance),
        cmocka_unit_test(reader_fast_path_agrees),
        cmocka_unit_test(million_records_round_trip),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
