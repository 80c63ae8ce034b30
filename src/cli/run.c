/* run.c - `deferlab run FILE`: run a script or lesson headless.
 *
 * Prints the narrative of every step with the script's own output
 * interleaved (or, with --quiet, only the output), then any error as
 * "file:line: message" on stderr. Exit status: 0 on success, 1 when the
 * script failed (an error, a limit, or --strict and an unhandled error),
 * 2 for a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lesson/challenge.h"
#include "lesson/lesson.h"
#include "loop/uvreactor.h"
#include "script/script.h"
#include "trace/narrate.h"
#include "trace/trace.h"

static const char run_usage[] =
    "usage: deferlab run FILE [options]\n"
    "\n"
    "Run a .lua script, or the ```lua blocks of a lesson .md in order, in the sandbox.\n"
    "\n"
    "  --trace OUT.jsonl      also write the trace of the run\n"
    "  --quiet                print only what the script printed\n"
    "  --semantics twisted|proposed\n"
    "                         chainDeferred semantics (default twisted)\n"
    "  --strict               an unhandled error in a Deferred fails the run\n"
    "  --budget N             instruction budget (default 200000000)\n"
    "  --memory MB            Lua memory limit in MiB (default 64)\n"
    "  --realtime             the reactor runs on real time (libuv): callLater and\n"
    "                         deferLater really wait; reactor:advance() is refused\n"
    "  --help                 this text\n";

typedef struct run_opts {
    const char *file;
    const char *trace;
    bool quiet, strict, realtime;
    dl_script_opts script;
    dl_reactor *reactor; /* the real-time reactor (the script holds it) */
} run_opts;

/* The script's reactor factory for --realtime: remembers what it made so
 * the run can wait for its calls. */
static dl_reactor *make_realtime(dl_engine *eng, void *ud)
{
    run_opts *o = ud;
    o->reactor = dl_uv_reactor_new(eng);
    return o->reactor;
}

/* Both listeners see every event, in order. */
typedef struct fanout {
    dl_narrator *narrator;
    dl_trace_writer *writer;
} fanout;

static void observe(void *ud, const dl_event *ev)
{
    fanout *f = ud;
    dl_narrate(f->narrator, ev);
    if (f->writer) dl_trace_writer_observe(f->writer, ev);
}

static bool parse_u64(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-') return false;
    *out = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0' && *out > 0;
}

typedef enum { DOC_PLAIN, DOC_LESSON, DOC_CHALLENGE } doc_kind;

/* What the .md at path claims to be: a lesson or a challenge when it opens
 * with front matter (a challenge's has a `kind:` line), else plain Markdown
 * with code in it. Only the front matter is read. */
static doc_kind document_kind(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return DOC_PLAIN;
    char line[512];
    doc_kind k = DOC_PLAIN;
    if (fgets(line, sizeof line, f) && strncmp(line, "---", 3) == 0) {
        k = DOC_LESSON;
        while (fgets(line, sizeof line, f) && strncmp(line, "---", 3) != 0)
            if (strncmp(line, "kind:", 5) == 0) k = DOC_CHALLENGE;
    }
    fclose(f);
    return k;
}

/* A lesson or challenge .md runs even when its front matter or fences have
 * problems (its code may be fine), but the author hears about them first,
 * as `deferlab lint` would say them. */
static void warn_about_document(const char *path)
{
    size_t len = strlen(path);
    if (len < 3 || strcmp(path + len - 3, ".md") != 0) return;
    doc_kind k = document_kind(path);
    if (k == DOC_PLAIN) return;
    dl_diags d = {0};
    if (k == DOC_CHALLENGE)
        dl_challenge_free(dl_challenge_load(path, &d));
    else
        dl_lesson_free(dl_lesson_load(path, &d));
    for (size_t i = 0; i < d.len; i++)
        fprintf(stderr, "%s (warning; the code runs anyway)\n", d.msgs[i]);
    dl_diags_free(&d);
}

static int parse(int argc, char **argv, run_opts *o)
{
    dl_script_opts_default(&o->script);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(run_usage, stdout);
            return 1;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--strict") == 0) {
            o->strict = true;
        } else if (strcmp(a, "--realtime") == 0) {
            o->realtime = true;
        } else if (strcmp(a, "--trace") == 0 || strcmp(a, "--semantics") == 0 ||
                   strcmp(a, "--budget") == 0 || strcmp(a, "--memory") == 0) {
            bool ok = val != NULL;
            if (ok && a[2] == 't') {
                o->trace = val;
            } else if (ok && a[2] == 's') {
                ok = strcmp(val, "twisted") == 0 || strcmp(val, "proposed") == 0;
                o->script.semantics = val[0] == 't' ? DL_SEMANTICS_TWISTED : DL_SEMANTICS_PROPOSED;
            } else if (ok && a[2] == 'b') {
                ok = parse_u64(val, &n);
                o->script.budget = n;
            } else if (ok) {
                ok = parse_u64(val, &n) && n <= ((size_t)1 << 20);
                o->script.memory = (size_t)n << 20;
            }
            if (!ok) {
                fprintf(stderr, "deferlab run: %s needs %s\n", a,
                        a[2] == 't'   ? "a file name"
                        : a[2] == 's' ? "twisted or proposed"
                        : a[2] == 'b' ? "a positive number of instructions"
                                      : "a positive number of MiB");
                return -1;
            }
            i++;
        } else if (a[0] == '-' || o->file) {
            fprintf(stderr, "deferlab run: unexpected argument '%s' (see deferlab run --help)\n",
                    a);
            return -1;
        } else {
            o->file = a;
        }
    }
    if (!o->file) {
        fprintf(stderr, "deferlab run: no FILE given (see deferlab run --help)\n");
        return -1;
    }
    return 0;
}

int dl_cli_run(int argc, char **argv)
{
    run_opts o = {0};
    int p = parse(argc, argv, &o);
    if (p != 0) return p > 0 ? 0 : 2;

    int status = 1;
    FILE *tf = NULL;
    fanout f = {NULL, NULL};
    dl_script *S = NULL;

    f.narrator = dl_narrator_new(stdout, o.quiet ? DL_NARRATE_QUIET : 0);
    if (!f.narrator) goto oom;
    if (o.trace) {
        tf = fopen(o.trace, "w");
        if (!tf) {
            fprintf(stderr, "deferlab run: cannot write %s: %s\n", o.trace, strerror(errno));
            goto done;
        }
        dl_trace_producer prod = {o.file, o.script.semantics, o.realtime};
        f.writer = dl_trace_writer_new(tf, &prod);
        if (!f.writer) goto oom;
    }
    if (o.realtime) {
        o.script.make_reactor = make_realtime;
        o.script.make_reactor_ud = &o;
    }
    warn_about_document(o.file);
    S = dl_script_new(&o.script);
    if (!S) goto oom;
    dl_engine *eng = dl_script_engine(S);
    dl_engine_observe(eng, observe, &f);
    /* A trace records every step; the narrator alone may need few (--quiet). */
    eng->listen = f.writer ? DL_EV_ALL : dl_narrator_listens(f.narrator);

    int rc = dl_script_run_file(S, o.file);
    char err[1200];
    snprintf(err, sizeof err, "%s", rc ? dl_script_error(S) : "");
    if (rc == 0 && o.reactor && dl_uv_reactor_run(o.reactor) != 0) {
        /* A delayed call raised: report it like a script error. */
        dl_value fv = dl_engine_take_raised(eng);
        dl_failure *fl = dl_failure_of(fv);
        char what[600] = "a delayed call failed";
        if (fl) dl_exception_str(fl->exc, what, sizeof what);
        snprintf(err, sizeof err, "%s%s%s", fl && fl->where ? fl->where : "",
                 fl && fl->where ? ": " : "", what);
        dl_release(fv);
        rc = -1;
    }
    char *tb = rc && !o.quiet && dl_script_traceback(S)[0] ? strdup(dl_script_traceback(S)) : NULL;
    /* Finishing reports the unhandled failures that remain. */
    if (dl_script_finish(S) != 0 && !rc) {
        rc = -1;
        snprintf(err, sizeof err, "%s", dl_script_error(S));
    }
    dl_narrator_flush(f.narrator);
    fflush(stdout);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        if (tb) fprintf(stderr, "%s\n", tb);
    } else if (o.strict && dl_narrator_unhandled(f.narrator)) {
        fprintf(stderr, "%s\n", dl_narrator_first_unhandled(f.narrator));
        rc = -1;
    }
    free(tb);
    status = rc ? 1 : 0;
    goto done;
oom:
    fprintf(stderr, "deferlab run: out of memory\n");
done:
    dl_script_free(S);
    if (f.writer && dl_trace_writer_close(f.writer) != 0) {
        fprintf(stderr, "deferlab run: error writing %s\n", o.trace);
        status = 1;
    }
    if (tf) fclose(tf);
    dl_narrator_free(f.narrator);
    return status;
}
