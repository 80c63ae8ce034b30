/* test_export.c - `deferlab export`: Chrome trace JSON parsed back and checked
 * for the fields viewers need, the plain-text diagram against goldens, and
 * the Graphviz graph (every Deferred a node, every link an edge).
 *
 * The trace is recorded from tests/e2e/sample.md, exactly as
 * `deferlab run --trace` records it. Goldens live in tests/golden/export-*;
 * DEFERLAB_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/export.h"
#include "script/script.h"
#include "trace/export_chrome.h"
#include "trace/reader.h"

static char trace_path[64];

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static void temp_path(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "/tmp/dl-export-%s-XXXXXX", tag);
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    close(fd);
}

/* Record tests/e2e/sample.md into trace_path. */
static int record(void **state)
{
    (void)state;
    temp_path(trace_path, sizeof trace_path, "trace");
    FILE *f = fopen(trace_path, "w");
    if (!f) return -1;
    dl_script_opts o;
    dl_script_opts_default(&o);
    dl_script *S = dl_script_new(&o);
    dl_trace_producer prod = {"tests/e2e/sample.md", o.semantics, false};
    dl_trace_writer *w = dl_trace_writer_new(f, &prod);
    if (!S || !w) return -1;
    dl_engine_observe(dl_script_engine(S), dl_trace_writer_observe, w);
    /* The script prints; keep the test output clean. */
    fflush(stdout);
    FILE *saved = stdout;
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) stdout = devnull;
    int rc = dl_script_run_file(S, "tests/e2e/sample.md");
    rc |= dl_script_finish(S);
    stdout = saved;
    if (devnull) fclose(devnull);
    dl_script_free(S);
    rc |= dl_trace_writer_close(w);
    fclose(f);
    return rc == 0 ? 0 : -1;
}

static int cleanup(void **state)
{
    (void)state;
    unlink(trace_path);
    return 0;
}

/* dl_cli_export over a NULL-terminated list of arguments. */
static int export_argv(const char *first, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 16; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    return dl_cli_export(argc, argv);
}

/* ---- chrome ------------------------------------------------------------ */

static size_t count_kind(const dl_trace *t, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++)
        n += t->recs[i].kind == kind;
    return n;
}

/* Every entry has the fields viewers require; B/E are balanced per track,
 * X slices have a duration, flows come in s/f pairs. Returns the root. */
static json_t *check_chrome(const char *path, size_t *nslices, size_t *ninstants)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) fail_msg("chrome output is not JSON: %s (line %d)", jerr.text, jerr.line);
    assert_true(json_is_object(root));
    json_t *evs = json_object_get(root, "traceEvents");
    assert_true(json_is_array(evs));
    assert_true(json_array_size(evs) > 0);
    int depth[64] = {0};
    long flows = 0;
    size_t k;
    json_t *e;
    *nslices = *ninstants = 0;
    json_array_foreach(evs, k, e)
    {
        assert_true(json_is_object(e));
        const char *ph = json_string_value(json_object_get(e, "ph"));
        assert_non_null(ph);
        assert_true(json_is_string(json_object_get(e, "name")));
        assert_true(json_is_integer(json_object_get(e, "ts")));
        assert_true(json_integer_value(json_object_get(e, "ts")) >= 0);
        assert_true(json_is_integer(json_object_get(e, "pid")));
        assert_true(json_is_integer(json_object_get(e, "tid")));
        json_int_t tid = json_integer_value(json_object_get(e, "tid"));
        if (strcmp(ph, "X") == 0) {
            assert_true(json_is_integer(json_object_get(e, "dur")));
            assert_true(json_integer_value(json_object_get(e, "dur")) >= 0);
            assert_true(json_is_object(json_object_get(e, "args")));
            (*nslices)++;
        } else if (strcmp(ph, "B") == 0 || strcmp(ph, "E") == 0) {
            assert_true(tid >= 0 && tid < 64);
            depth[tid] += ph[0] == 'B' ? 1 : -1;
            assert_true(depth[tid] >= 0);
        } else if (strcmp(ph, "s") == 0 || strcmp(ph, "f") == 0) {
            assert_true(json_is_integer(json_object_get(e, "id")));
            flows += ph[0] == 's' ? 1 : -1;
        } else if (strcmp(ph, "i") == 0) {
            const char *s = json_string_value(json_object_get(e, "s"));
            assert_non_null(s);
            assert_true(strchr("gpt", s[0]) != NULL);
            (*ninstants)++;
        } else {
            assert_string_equal(ph, "M");
            assert_true(json_is_object(json_object_get(e, "args")));
        }
    }
    for (int i = 0; i < 64; i++)
        assert_int_equal(depth[i], 0);
    assert_int_equal(flows, 0);
    return root;
}

/* The event named name (and phase ph) on tid, or NULL. */
static json_t *find_event(json_t *root, const char *ph, const char *name, json_int_t tid)
{
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(root, "traceEvents"), k, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "ph")), ph) == 0 &&
            strcmp(json_string_value(json_object_get(e, "name")), name) == 0 &&
            json_integer_value(json_object_get(e, "tid")) == tid)
            return e;
    }
    return NULL;
}

static const char *thread_name(json_t *root, json_int_t pid, json_int_t tid)
{
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(root, "traceEvents"), k, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "name")), "thread_name") == 0 &&
            json_integer_value(json_object_get(e, "pid")) == pid &&
            json_integer_value(json_object_get(e, "tid")) == tid)
            return json_string_value(json_object_get(json_object_get(e, "args"), "name"));
    }
    return NULL;
}

static void chrome_sample(void **state)
{
    (void)state;
    char out[64];
    temp_path(out, sizeof out, "chrome");
    assert_int_equal(export_argv(trace_path, "--format", "chrome", "-o", out, NULL), 0);

    dl_trace *t = NULL;
    char err[256];
    assert_int_equal(dl_trace_load(trace_path, &t, err, sizeof err), 0);
    size_t nslices, ninstants;
    json_t *root = check_chrome(out, &nslices, &ninstants);

    /* One slice per invocation, plus the link slices (waiting: 1; hand-off: 2). */
    size_t calls = count_kind(t, DL_EV_CALL);
    assert_int_equal(calls, 3);
    assert_int_equal(nslices, calls + 1 + 2 * count_kind(t, DL_EV_HANDOFF));

    /* Tracks are named after the Deferreds' labels. */
    assert_string_equal(thread_name(root, 1, 1), "d1 (d#1)");
    assert_string_equal(thread_name(root, 1, 2), "outer (d#2)");
    assert_string_equal(thread_name(root, 1, 3), "inner (d#3)");

    /* The raising callback: an X slice from call to return with its input and output. */
    json_t *x = find_event(root, "X", "#1 λ@15", 1);
    assert_non_null(x);
    json_t *args = json_object_get(x, "args");
    assert_string_equal(json_string_value(json_object_get(args, "input")), "1");
    assert_string_equal(json_string_value(json_object_get(args, "output")),
                        "Failure(ValueError: bad)");
    assert_true(json_is_true(json_object_get(args, "raised")));
    assert_int_equal(json_integer_value(json_object_get(x, "ts")), 5); /* seq 5 */
    assert_int_equal(json_integer_value(json_object_get(x, "dur")), 1);

    /* Fires are instants; the hand-off is a flow from inner to outer. */
    assert_non_null(find_event(root, "i", "fired: callback", 3));
    assert_non_null(find_event(root, "X", "hands result to outer", 3));
    assert_non_null(find_event(root, "X", "handoff from inner", 2));
    json_t *s = find_event(root, "s", "handoff", 3), *f = find_event(root, "f", "handoff", 2);
    assert_non_null(s);
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(s, "id")),
                     json_integer_value(json_object_get(f, "id")));
    assert_non_null(find_event(root, "s", "waiting", 2));

    /* Time never moved: ts is the seq, and the metadata says so. */
    json_t *other = json_object_get(root, "otherData");
    assert_string_equal(json_string_value(json_object_get(other, "time_base")), "seq");
    assert_non_null(strstr(json_string_value(json_object_get(other, "time_note")), "sequence"));
    json_decref(root);
    dl_trace_free(t);
    unlink(out);
}

/* Time that moves, a call that never returns, an unhandled error and a
 * chainDeferred, built record by record. */
static void chrome_built(void **state)
{
    (void)state;
    dl_trace *t = dl_trace_new();
    assert_non_null(t);
    t->header.version = 1;
    const struct {
        int kind;
        double t;
        uint32_t d, other, index;
        const char *value, *name;
    } recs[] = {
        {DL_EV_CREATED, 0, 1, 0, 0, NULL, NULL}, {DL_EV_CREATED, 0, 2, 0, 0, NULL, NULL},
        {DL_EV_CHAINED, 0, 1, 2, 0, NULL, NULL}, {DL_EV_FIRED, 1.5, 1, 0, 0, "1", NULL},
        {DL_EV_CALL, 1.5, 1, 0, 1, "1", "work"}, {DL_EV_UNHANDLED, 2, 2, 0, 0, "Failure(E)", NULL},
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        dl_trace_rec r = {.kind = recs[i].kind,
                          .slot = -1,
                          .vkind = -1,
                          .seq = i,
                          .t = recs[i].t,
                          .d = recs[i].d,
                          .other = recs[i].other,
                          .index = recs[i].index,
                          .value = recs[i].value,
                          .name = recs[i].name,
                          .kind_name = dl_event_wire_name(recs[i].kind)};
        if (recs[i].kind == DL_EV_CALL) r.slot = DL_SLOT_CALLBACK;
        assert_int_equal(dl_trace_append(t, &r), 0);
    }
    char out[64];
    temp_path(out, sizeof out, "built");
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    dl_chrome_stats st;
    assert_int_equal(dl_export_chrome(t, f, &st), 0);
    fclose(f);
    assert_int_equal(st.seq_time, 0);
    assert_int_equal(st.flows, 1); /* chainDeferred */

    size_t nslices, ninstants;
    json_t *root = check_chrome(out, &nslices, &ninstants);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(root, "otherData"), "time_base")),
        "time");
    /* Both t=0 events keep their order 1 us apart; t=1.5 is 1500000 us. */
    assert_int_equal(
        json_integer_value(json_object_get(find_event(root, "i", "created Deferred", 2), "ts")), 1);
    json_t *x = find_event(root, "X", "#1 work", 1);
    assert_non_null(x);
    assert_int_equal(json_integer_value(json_object_get(x, "ts")), 1500001);
    assert_true(json_is_true(json_object_get(json_object_get(x, "args"), "unfinished")));
    assert_int_equal(json_integer_value(json_object_get(x, "dur")), 2000001 - 1500001);
    assert_non_null(find_event(root, "i", "UNHANDLED Failure(E)", 2));
    assert_non_null(find_event(root, "X", "chained from d#1", 2));
    json_decref(root);
    unlink(out);
    dl_trace_free(t);
}

/* ---- text --------------------------------------------------------------- */

static void compare_golden(const char *name, const char *got_path)
{
    char path[256];
    snprintf(path, sizeof path, "tests/golden/%s.txt", name);
    char *got = read_all(got_path);
    assert_non_null(got);
    if (getenv("DEFERLAB_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    char *want = read_all(path);
    if (!want) fail_msg("missing golden %s (run with DEFERLAB_UPDATE_GOLDEN=1)", path);
    if (strcmp(want, got) != 0) {
        print_error("export differs from %s; got:\n%s", path, got);
        free(want);
        free(got);
        fail();
    }
    free(want);
    free(got);
}

static void text_goldens(void **state)
{
    (void)state;
    char out[64];
    temp_path(out, sizeof out, "text");
    /* ASCII, the last step. */
    assert_int_equal(export_argv(trace_path, "--format", "text", "-o", out, NULL), 0);
    char *s = read_all(out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        assert_true(*p < 0x80);
    assert_non_null(strstr(s, "continuation: result handed -> outer"));
    free(s);
    compare_golden("export-sample", out);

    /* UTF-8 with the story, at the moment outer waits on inner. */
    assert_int_equal(export_argv(trace_path, "--utf8", "--events", "--step", "21", "-o", out, NULL),
                     0);
    s = read_all(out);
    assert_non_null(strstr(s, "waiting on inner"));
    assert_non_null(strstr(s, "    21  outer waits on inner"));
    assert_null(strstr(s, "    22  "));
    free(s);
    compare_golden("export-sample-utf8", out);

    /* Step 0: before anything happened. */
    assert_int_equal(export_argv(trace_path, "--step", "0", "-o", out, NULL), 0);
    s = read_all(out);
    assert_non_null(strstr(s, "(no Deferreds at this step)"));
    free(s);
    unlink(out);
}

/* ---- dot ---------------------------------------------------------------- */

static size_t count_str(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void check_dot_at(long long step, size_t want_edges)
{
    char out[64], st[32];
    temp_path(out, sizeof out, "dot");
    snprintf(st, sizeof st, "%lld", step);
    assert_int_equal(export_argv(trace_path, "--format", "dot", "--step", st, "-o", out, NULL), 0);
    char *dot = read_all(out);
    assert_non_null(dot);
    assert_true(strncmp(dot, "digraph deferlab {", 18) == 0);

    /* The model at the same step: every Deferred a node, every link an edge. */
    dl_trace *t = NULL;
    char err[256];
    assert_int_equal(dl_trace_load(trace_path, &t, err, sizeof err), 0);
    dl_model *m = dl_model_new_from_trace(t);
    assert_non_null(m);
    assert_int_equal(dl_model_seek(m, step - 1), 0);
    char want[64];
    size_t links = 0;
    for (size_t k = 0; k < dl_model_deferred_count(m); k++) {
        const dl_model_deferred *d = dl_model_deferred_at(m, k);
        snprintf(want, sizeof want, "  d%u [label=", (unsigned)d->id);
        assert_non_null(strstr(dot, want));
        if (d->state == DL_MD_WAITING) {
            snprintf(want, sizeof want, "d%u -> d%u [label=\"waits on\"", (unsigned)d->id,
                     (unsigned)d->waiting_on);
            assert_non_null(strstr(dot, want));
            links++;
        }
        for (size_t p = 0; p < dl_model_pair_count(d); p++) {
            const dl_model_pair *pr = dl_model_pair_at(d, p);
            if (!pr->cont) continue;
            snprintf(want, sizeof want, "d%u -> d%u [label=\"#%u continuation", (unsigned)d->id,
                     (unsigned)pr->cont, (unsigned)pr->index);
            assert_non_null(strstr(dot, want));
            links++;
        }
        for (size_t c = 0; c < dl_model_chained_count(d); c++) {
            snprintf(want, sizeof want, "d%u -> d%u [label=\"chainDeferred\"", (unsigned)d->id,
                     (unsigned)dl_model_chained_at(d, c));
            assert_non_null(strstr(dot, want));
            links++;
        }
    }
    assert_int_equal(links, want_edges);
    assert_int_equal(count_str(dot, " -> "), links);
    assert_int_equal(count_str(dot, " [label="), dl_model_deferred_count(m) + links);
    dl_model_free(m);
    free(dot);
    unlink(out);
}

static void dot_graphs(void **state)
{
    (void)state;
    check_dot_at(21, 2); /* outer waits on inner; inner's continuation pending */
    check_dot_at(25, 1); /* handed over: the continuation edge stays, waiting is gone */
    check_dot_at(1, 0);
}

/* ---- the command line ----------------------------------------------------- */

static void usage_errors(void **state)
{
    (void)state;
    fflush(stderr);
    FILE *saved = stderr;
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);
    stderr = devnull;
    int bad_format = export_argv(trace_path, "--format", "svg", NULL);
    int past_end = export_argv(trace_path, "--step", "26", NULL);
    int no_file = export_argv("/nonexistent/x.jsonl", NULL);
    int chrome_step = export_argv(trace_path, "--format=chrome", "--step", "3", NULL);
    int no_value = export_argv(trace_path, "--step", NULL);
    stderr = saved;
    fclose(devnull);
    assert_int_equal(bad_format, 2);
    assert_int_equal(past_end, 2);
    assert_int_equal(no_file, 1);
    assert_int_equal(chrome_step, 2);
    assert_int_equal(no_value, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chrome_sample), cmocka_unit_test(chrome_built),
        cmocka_unit_test(text_goldens),  cmocka_unit_test(dot_graphs),
        cmocka_unit_test(usage_errors),
    };
    return cmocka_run_group_tests_name("export", tests, record, cleanup);
}
