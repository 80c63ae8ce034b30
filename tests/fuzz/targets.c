/* targets.c - fuzz entry points (see targets.h).
 *
 * Every entry checks invariants of its own on top of "no crash": a broken
 * one calls abort() with a line on stderr, which both libFuzzer and the
 * replay driver report as a failure.
 */
#include "targets.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/deferred.h"
#include "engine/dlist.h"
#include "lesson/challenge.h"
#include "lesson/doc.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "script/script.h"
#include "trace/model.h"
#include "trace/reader.h"
#include "trace/trace.h"

static void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* Every diagnostic names the file ("path:" first). */
static void check_diags(const dl_diags *d, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < d->len; i++)
        if (strncmp(d->msgs[i], path, n) != 0 || d->msgs[i][n] != ':')
            fz_fail("diagnostic does not start with \"%s:\": %s", path, d->msgs[i]);
}

/* ===================================================================== */
/* Lessons and challenges                                                */
/* ===================================================================== */

int dlfz_lesson(const uint8_t *data, size_t size)
{
    static const char path[] = "fuzz/lesson.md";
    dl_diags diags = {0};
    dl_doc *doc = dl_doc_parse(path, (const char *)data, size, &diags);
    if (doc) {
        for (size_t i = 0; i < doc->nblocks; i++)
            free(dl_block_text(&doc->blocks[i]));
        dl_lesson *l = dl_lesson_from_doc(doc, &diags);
        if (l) {
            for (size_t i = 0; i < l->ncells; i++)
                if (!l->cells[i].code || l->cells[i].block >= l->doc->nblocks)
                    fz_fail("cell %zu has no code or a bad block index", i);
            if (!l->id || !l->title) fz_fail("a loaded lesson without id or title");
            static const char *const ids[] = {"01-first-class-calls", "02-two-tracks"};
            dl_lesson_check_requires(l, ids, 2, &diags);
        }
        dl_lesson_free(l);
    } else if (diags.len == 0) {
        fz_fail("dl_doc_parse returned NULL without a diagnostic");
    }
    check_diags(&diags, path);
    dl_diags_free(&diags);
    return 0;
}

int dlfz_challenge(const uint8_t *data, size_t size)
{
    static const char path[] = "fuzz/challenge.md";
    dl_diags diags = {0};
    dl_doc *doc = dl_doc_parse(path, (const char *)data, size, &diags);
    if (doc) {
        dl_challenge *c = dl_challenge_from_doc(doc, &diags);
        if (c) {
            if (!c->starter || c->nchecks == 0 || c->nhints == 0)
                fz_fail("a loaded challenge without starter, checks or hints");
            if (c->task_end > c->doc->nblocks || c->explain_first > c->doc->nblocks)
                fz_fail("block indexes out of range");
            for (size_t i = 0; i < c->nchecks; i++)
                if (dl_challenge_find_check(c, c->checks[i].name) == NULL)
                    fz_fail("check %s not found by name", c->checks[i].name);
            (void)dl_chal_kind_name(c->kind);
        } else if (diags.len == 0) {
            fz_fail("challenge refused without a diagnostic");
        }
        dl_challenge_free(c);
    } else if (diags.len == 0) {
        fz_fail("dl_doc_parse returned NULL without a diagnostic");
    }
    check_diags(&diags, path);
    dl_diags_free(&diags);
    return 0;
}

/* ===================================================================== */
/* Traces                                                                */
/* ===================================================================== */

/* Fold the whole trace, then seek around. */
static void exercise_model(dl_trace *t)
{
    dl_model *m = dl_model_new_from_trace(t); /* takes t */
    if (!m) return;
    int64_t len = (int64_t)dl_model_len(m);
    int64_t stops[] = {len - 1, -1, len / 2, len / 3, len - 1, 0};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        if (stops[i] >= len) continue;
        int rc = dl_model_seek(m, stops[i]);
        if (rc != 0 && rc != DL_ENOMEM)
            fz_fail("seek(%lld) of %lld failed: %d", (long long)stops[i], (long long)len, rc);
        for (size_t k = 0; k < dl_model_deferred_count(m); k++) {
            char name[64];
            const dl_model_deferred *d = dl_model_deferred_at(m, k);
            dl_model_deferred_name(d, name, sizeof name);
            for (size_t p = 0; p < dl_model_pair_count(d); p++)
                (void)dl_model_pair_at(d, p);
        }
    }
    dl_model_free(m);
}

int dlfz_trace(const uint8_t *data, size_t size)
{
    static const char name[] = "fuzz/trace.jsonl";
    char err[512] = "";
    /* fmemopen refuses a zero-sized buffer on some libcs: keep one byte. */
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    buf[size] = '\0';
    FILE *f = size ? fmemopen(buf, size, "r") : fopen("/dev/null", "r");
    if (!f) {
        free(buf);
        return 0;
    }
    dl_trace *t = NULL;
    int rc = dl_trace_load_stream(f, name, &t, err, sizeof err);
    fclose(f);
    free(buf);
    if (rc == 0) {
        if (!t) fz_fail("trace loaded but NULL");
        for (size_t i = 0; i < t->nwarnings; i++)
            if (strncmp(t->warnings[i], name, sizeof name - 1) != 0)
                fz_fail("trace warning does not name the file: %s", t->warnings[i]);
        exercise_model(t);
    } else {
        if (t) fz_fail("trace refused (%d) but *out set", rc);
        if (rc != DL_ENOMEM && strncmp(err, name, sizeof name - 1) != 0)
            fz_fail("trace error does not name the file: %s", err);
    }
    return 0;
}

/* ===================================================================== */
/* Progress files                                                        */
/* ===================================================================== */

static char progress_dir[256];

static void clear_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
}

static void remove_progress_dir(void)
{
    if (!progress_dir[0]) return;
    clear_dir(progress_dir);
    rmdir(progress_dir);
}

/* The only file in dir whose name starts with prefix: its bytes. */
static char *read_aside(const char *dir, const char *prefix, size_t *len)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    struct dirent *e;
    char p[512] = "";
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    closedir(d);
    if (!p[0]) return NULL;
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static bool same_items(const dl_progress_item *a, size_t na, const dl_progress_item *b, size_t nb)
{
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i].id, b[i].id) != 0 || a[i].done != b[i].done ||
            a[i].position != b[i].position || a[i].hints != b[i].hints ||
            a[i].revealed != b[i].revealed)
            return false;
    return true;
}

int dlfz_progress(const uint8_t *data, size_t size)
{
    if (!progress_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(progress_dir, sizeof progress_dir, "%s/dlfz-progress-XXXXXX",
                 tmp && tmp[0] ? tmp : "/tmp");
        if (!mkdtemp(progress_dir)) fz_fail("mkdtemp %s failed", progress_dir);
        atexit(remove_progress_dir);
    }
    clear_dir(progress_dir);
    char path[512];
    snprintf(path, sizeof path, "%s/progress", progress_dir);
    FILE *f = fopen(path, "wb");
    if (!f) fz_fail("cannot write %s", path);
    if (size && fwrite(data, 1, size, f) != size) fz_fail("short write to %s", path);
    fclose(f);

    dl_progress p, q;
    char msg[1024] = "";
    int rc = dl_progress_load(&p, path, msg, sizeof msg);
    if (rc == 0) {
        /* What loads saves, and what is saved loads back the same. */
        if (dl_progress_save(&p, msg, sizeof msg) != 0) fz_fail("save failed: %s", msg);
        if (dl_progress_load(&q, path, msg, sizeof msg) != 0)
            fz_fail("a saved progress file does not load: %s", msg);
        if (!same_items(p.lessons, p.nlessons, q.lessons, q.nlessons) ||
            !same_items(p.challenges, p.nchallenges, q.challenges, q.nchallenges) ||
            (p.current == NULL) != (q.current == NULL) ||
            (p.current && strcmp(p.current, q.current) != 0))
            fz_fail("progress changed across save and load");
        dl_progress_free(&q);
    } else if (rc == 1) {
        /* Corrupt: the message names the file and a line, and the bytes are
         * kept aside unchanged. */
        if (strncmp(msg, path, strlen(path)) != 0 || msg[strlen(path)] != ':')
            fz_fail("corrupt-progress message does not name file:line: %s", msg);
        size_t n = 0;
        char *kept = read_aside(progress_dir, "progress.corrupt-", &n);
        if (!kept) fz_fail("corrupt progress file was not kept aside: %s", msg);
        if (n != size || (size && memcmp(kept, data, size) != 0))
            fz_fail("the corrupt progress file kept aside differs from the original");
        free(kept);
        if (access(path, F_OK) == 0) fz_fail("the corrupt file is still in place");
    } else {
        fz_fail("dl_progress_load on a readable file returned %d: %s", rc, msg);
    }
    dl_progress_free(&p);
    return 0;
}

/* ===================================================================== */
/* Engine: operation sequences                                           */
/* ===================================================================== */

/* A byte reader that yields zeros once the input is used up. */
typedef struct bytes {
    const uint8_t *p;
    size_t n, i;
} bytes;

static unsigned take(bytes *b)
{
    return b->i < b->n ? b->p[b->i++] : 0;
}

#define NPOOL 12

typedef enum { FN_RETURN, FN_RAISE, FN_DEFER, FN_FIRE_OTHER, FN_CANCEL_OTHER } fz_fn_kind;

typedef struct fz_fn {
    fz_fn_kind kind;
    int64_t k;
    dl_deferred *other; /* owned reference, or NULL */
    dl_engine *eng;
} fz_fn;

static int fz_call(void *ud, dl_value arg, dl_value *out)
{
    fz_fn *f = ud;
    switch (f->kind) {
    case FN_RETURN:
        *out = f->k % 3 == 0 ? dl_retain(arg) : dl_int(f->k);
        return 0;
    case FN_RAISE:
        *out = dl_fail_value(f->k & 1 ? &dl_type_ValueError : &dl_type_KeyError, "boom %lld",
                             (long long)f->k);
        return DL_ERAISED;
    case FN_DEFER:
        *out = f->other ? dl_deferred_value(f->other) : dl_none();
        return 0;
    case FN_FIRE_OTHER: /* a callback that fires another Deferred, re-entrantly */
        if (f->other) {
            int rc = dl_deferred_callback(f->other, dl_int(f->k));
            if (rc < 0) dl_release(dl_engine_take_raised(f->eng));
        }
        *out = dl_retain(arg);
        return 0;
    case FN_CANCEL_OTHER:
        if (f->other) {
            int rc = dl_deferred_cancel(f->other);
            if (rc < 0) dl_release(dl_engine_take_raised(f->eng));
        }
        *out = dl_retain(arg);
        return 0;
    }
    *out = dl_none();
    return 0;
}

static void fz_release(void *ud)
{
    fz_fn *f = ud;
    if (f->other) dl_deferred_release(f->other);
    free(f);
}

static const char *fz_name(void *ud)
{
    static const char *const names[] = {"ret", "raise", "defer", "fire", "cancel"};
    return names[((fz_fn *)ud)->kind];
}

static const dl_fn_class fz_class = {fz_call, fz_release, fz_name, "fz"};

static dl_fn make_fn(dl_engine *eng, fz_fn_kind kind, int64_t k, dl_deferred *other)
{
    fz_fn *f = malloc(sizeof *f);
    if (!f) return dl_passthru();
    f->kind = kind;
    f->k = k;
    f->eng = eng;
    f->other = other ? dl_deferred_retain(other) : NULL;
    return dl_fn_make(&fz_class, f);
}

/* Cancellers: nothing, fire the Deferred (callback/errback), raise. */
static int canc_call(void *ud, dl_value arg, dl_value *out)
{
    intptr_t mode = (intptr_t)ud;
    dl_deferred *d = dl_deferred_of(arg);
    *out = dl_none();
    if (mode == 1 && d) {
        if (dl_deferred_callback(d, dl_int(7)) < 0) dl_release(dl_engine_take_raised(d->eng));
    } else if (mode == 2 && d) {
        dl_value fv = dl_fail_value(&dl_type_RuntimeError, "cancelled by canceller");
        if (dl_deferred_errback(d, fv) < 0) dl_release(dl_engine_take_raised(d->eng));
        dl_release(fv);
    } else if (mode == 3) {
        *out = dl_fail_value(&dl_type_RuntimeError, "canceller raised");
        return DL_ERAISED;
    }
    return 0;
}
static const dl_fn_class canc_class = {canc_call, NULL, NULL, "canceller"};

typedef struct fz_obs {
    dl_model *model;
    size_t events;
} fz_obs;

static void fz_observe(void *ud, const dl_event *ev)
{
    fz_obs *o = ud;
    o->events++;
    char buf[256];
    dl_repr(ev->value, buf, sizeof buf);
    if (o->model) dl_model_observe(o->model, ev);
}

static dl_value fz_value(bytes *b, dl_deferred **pool)
{
    unsigned v = take(b);
    switch (v % 6) {
    case 0:
        return dl_int((int64_t)v - 100);
    case 1:
        return dl_cstr("text");
    case 2:
        return dl_none();
    case 3:
        return dl_num(v / 7.0);
    case 4:
        return dl_fail_value(&dl_type_ValueError, "bad %u", v);
    default: {
        dl_deferred *d = pool[v % NPOOL];
        return d ? dl_deferred_value(d) : dl_bool(v & 1);
    }
    }
}

static void drop_raised(dl_engine *eng, int rc)
{
    if (rc < 0) dl_release(dl_engine_take_raised(eng));
}

int dlfz_engine(const uint8_t *data, size_t size)
{
    bytes b = {data, size, 0};
    dl_engine *eng = dl_engine_new();
    if (!eng) return 0;
    fz_obs obs = {NULL, 0};
    FILE *mem = NULL;
    char *membuf = NULL;
    size_t memlen = 0;
    dl_trace_writer *w = NULL;
    unsigned flags = take(&b);
    eng->semantics = flags & 1 ? DL_SEMANTICS_PROPOSED : DL_SEMANTICS_TWISTED;
    if (flags & 2) { /* record: model + trace writer, read back at the end */
        obs.model = dl_model_new();
        mem = open_memstream(&membuf, &memlen);
        dl_trace_producer prod = {"fuzz.lua", eng->semantics, false};
        if (mem) w = dl_trace_writer_new(mem, &prod);
        if (obs.model && w) dl_model_attach_writer(obs.model, w);
    }
    if (flags & 6) {
        dl_engine_observe(eng, fz_observe, &obs);
    }
    dl_deferred *pool[NPOOL] = {0};
    size_t ops = 0;
    bool verbose = getenv("DLFZ_VERBOSE") != NULL;
    while (b.i < b.n && ops++ < 4096) {
        unsigned op = take(&b) % 18;
        unsigned x = take(&b);
        dl_deferred **slot = &pool[x % NPOOL];
        dl_deferred *d = *slot;
        dl_deferred *other = pool[(x / NPOOL) % NPOOL];
        if (verbose)
            fprintf(stderr, "op %u slot %u other %u%s\n", op, x % NPOOL, (x / NPOOL) % NPOOL,
                    d ? "" : " (empty: create)");
        if (op == 0 || !d) { /* create, with one of four cancellers */
            unsigned c = x >> 5;
            dl_fn canc = c % 4 ? dl_fn_make(&canc_class, (void *)(intptr_t)(c % 4)) : dl_passthru();
            if (d) dl_deferred_release(d);
            *slot = dl_deferred_new(eng, canc);
            continue;
        }
        int rc = 0;
        dl_value v;
        switch (op) {
        case 1:
            rc = dl_deferred_add_callback(d, make_fn(eng, FN_RETURN, take(&b), NULL));
            break;
        case 2:
            rc = dl_deferred_add_callback(d, make_fn(eng, FN_RAISE, take(&b), NULL));
            break;
        case 3:
            rc = dl_deferred_add_callback(d, make_fn(eng, FN_DEFER, 0, other));
            break;
        case 4:
            rc = dl_deferred_add_errback(
                d, make_fn(eng, take(&b) & 1 ? FN_RETURN : FN_RAISE, 3, NULL));
            break;
        case 5:
            rc = dl_deferred_add_both(d, make_fn(eng, FN_FIRE_OTHER, take(&b), other),
                                      make_fn(eng, FN_CANCEL_OTHER, 0, other));
            break;
        case 6:
            v = fz_value(&b, pool);
            rc = dl_deferred_callback(d, v);
            dl_release(v);
            break;
        case 7:
            v = dl_fail_value(&dl_type_KeyError, "k%u", take(&b));
            rc = dl_deferred_errback(d, v);
            dl_release(v);
            break;
        case 8:
            dl_deferred_pause(d);
            break;
        case 9:
            dl_deferred_unpause(d);
            break;
        case 10:
            rc = dl_deferred_cancel(d);
            break;
        case 11:
            if (other) rc = dl_deferred_chain(d, other);
            break;
        case 12: { /* DeferredList / gatherResults / race of a subset */
            dl_deferred *ds[NPOOL];
            size_t n = 0;
            unsigned mask = take(&b) | (take(&b) << 8);
            for (size_t i = 0; i < NPOOL; i++)
                if ((mask >> i) & 1 && pool[i]) ds[n++] = pool[i];
            unsigned kind = take(&b);
            dl_deferred *l = kind % 3 == 0   ? dl_deferred_list_new(eng, ds, n, kind >> 2 & 7)
                             : kind % 3 == 1 ? dl_gather_results(eng, ds, n, kind & 4)
                                             : dl_race(eng, ds, n);
            if (l) {
                dl_deferred_release(*slot);
                *slot = l;
            }
            break;
        }
        case 13: /* drop our reference: the engine keeps what it needs */
            dl_deferred_release(d);
            *slot = NULL;
            break;
        case 14:
            rc = dl_deferred_add_callbacks(d, make_fn(eng, FN_DEFER, 0, d),
                                           make_fn(eng, FN_RETURN, 0, NULL));
            break;
        case 15: {
            dl_deferred *s = take(&b) & 1 ? dl_succeed(eng, dl_int(1)) : NULL;
            if (!s) {
                dl_value fv = dl_fail_value(&dl_type_ValueError, "f");
                s = dl_fail(eng, fv);
                dl_release(fv);
            }
            if (s) {
                dl_deferred_release(*slot);
                *slot = s;
            }
            break;
        }
        case 16: {
            char repr[256];
            dl_deferred_repr(d, repr, sizeof repr);
            dl_deferred_set_label(d, take(&b) & 1 ? "lbl" : "x");
            (void)dl_deferred_unhandled(d);
            break;
        }
        default: {
            dl_deferred *m =
                dl_maybe_deferred(eng, make_fn(eng, take(&b) % 3, 5, other), dl_int(2));
            if (m) {
                dl_deferred_release(*slot);
                *slot = m;
            }
            break;
        }
        }
        drop_raised(eng, rc);
    }
    for (size_t i = 0; i < NPOOL; i++)
        if (pool[i]) dl_deferred_release(pool[i]);
    dl_engine_free(eng);
    if (w) {
        int wr = dl_trace_writer_close(w);
        fflush(mem);
        if (wr == 0 && dl_model_error(obs.model) == 0) {
            /* What the writer wrote, the reader reads, event for event. */
            FILE *rf = fmemopen(membuf, memlen, "r");
            dl_trace *t = NULL;
            char err[512];
            if (!rf) fz_fail("fmemopen failed");
            if (dl_trace_load_stream(rf, "fuzz.jsonl", &t, err, sizeof err) != 0)
                fz_fail("the engine's own trace does not load: %s", err);
            fclose(rf);
            if (t->len != dl_model_len(obs.model))
                fz_fail("trace read back has %zu events, the model saw %zu", t->len,
                        dl_model_len(obs.model));
            if (t->nwarnings) fz_fail("own trace read with a warning: %s", t->warnings[0]);
            exercise_model(t);
        }
    }
    if (mem) fclose(mem);
    free(membuf);
    dl_model_free(obs.model);
    return 0;
}

/* ===================================================================== */
/* Lua: generated source through the sandbox                             */
/* ===================================================================== */

/* Statement templates; %d is a variable index (d0..d5), %v a value. */
static const char *const lua_stmts[] = {
    "d%d = Deferred()",
    "d%d = Deferred(function(x) x:callback(%v) end)",
    "d%d = Deferred(function(x) error('canceller ' .. %v) end)",
    "d%d = Deferred(function(x) end)",
    "if d%d then d%d:addCallback(function(v) return %v end) end",
    "if d%d then d%d:addCallback(function(v) error(%v) end) end",
    "if d%d then d%d:addCallback(function(v) return d%d end) end",
    "if d%d then d%d:addErrback(function(f) return %v end) end",
    "if d%d then d%d:addBoth(function(v) print(v) return v end) end",
    "if d%d then pcall(d%d.callback, d%d, %v) end",
    "if d%d then pcall(d%d.errback, d%d, %v) end",
    "if d%d then d%d:pause() end",
    "if d%d then d%d:unpause() end",
    "if d%d then pcall(d%d.cancel, d%d) end",
    "if d%d and d%d then pcall(d%d.chainDeferred, d%d, d%d) end",
    "d%d = DeferredList({d%d, d%d}, {consumeErrors = true})",
    "d%d = gatherResults({d%d, d%d}, true)",
    "d%d = succeed(%v)",
    "d%d = fail(%v)",
    "d%d = maybeDeferred(function() return d%d end)",
    "print(tostring(d%d), d%d and d%d.called, d%d and d%d.paused)",
    "d%d = nil collectgarbage()",
    "d%d = inlineCallbacks(function() local v = yield(d%d) return v end)()",
    "reactor:callLater(%v, function() if d%d then pcall(d%d.callback, d%d, 1) end end)",
    "pcall(reactor.advance, reactor, 2)",
    "local ok, e = pcall(error, setmetatable({}, {__tostring = function() return %v end})) "
    "print(ok, e)",
    "while true do end",
    "local t = {} for i = 1, 1e7 do t[i] = string.rep('x', 100) end",
    "d%d = race({d%d, d%d})",
    "if d%d then d%d:addTimeout(1, reactor) end",
};

static const char *const lua_values[] = {
    "1",
    "nil",
    "'s'",
    "{1, 2}",
    "d0",
    "2.5",
    "ValueError('v')",
    "Failure(KeyError('k'))",
    "-1",
    "math.huge",
    "0/0",
    "string.rep('y', 40)",
};

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = (*cap ? *cap * 2 : 1024) + n;
        char *nb = realloc(*buf, c);
        if (!nb) fz_fail("out of memory");
        *buf = nb;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

int dlfz_lua(const uint8_t *data, size_t size)
{
    bytes b = {data, size, 0};
    char *src = NULL;
    size_t len = 0, cap = 0;
    unsigned mode = take(&b);
    if (mode == 0xff) {
        /* Raw: the rest is Lua source as is. */
        append(&src, &len, &cap, (const char *)data + 1, size - 1);
    } else {
        size_t stmts = 0;
        while (b.i < b.n && stmts++ < 200) {
            const char *t = lua_stmts[take(&b) % (sizeof lua_stmts / sizeof lua_stmts[0])];
            for (const char *p = t; *p; p++) {
                if (p[0] == '%' && p[1] == 'd') {
                    char n[8];
                    int k = snprintf(n, sizeof n, "%u", take(&b) % 6);
                    append(&src, &len, &cap, n, (size_t)k);
                    p++;
                } else if (p[0] == '%' && p[1] == 'v') {
                    const char *v =
                        lua_values[take(&b) % (sizeof lua_values / sizeof lua_values[0])];
                    append(&src, &len, &cap, v, strlen(v));
                    p++;
                } else {
                    append(&src, &len, &cap, p, 1);
                }
            }
            append(&src, &len, &cap, "\n", 1);
        }
        if (!src) append(&src, &len, &cap, "", 0);
    }
    dl_script_opts o;
    dl_script_opts_default(&o);
    o.budget = 200000;
    o.memory = (size_t)8 << 20;
    o.semantics = mode & 1 ? DL_SEMANTICS_PROPOSED : DL_SEMANTICS_TWISTED;
    dl_script *S = dl_script_new(&o);
    if (S) {
        fz_obs obs = {NULL, 0};
        dl_engine *eng = dl_script_engine(S);
        dl_engine_observe(eng, fz_observe, &obs);
        int rc = dl_script_run(S, "fuzz.lua", src, len);
        if (rc != 0 && !dl_script_error(S)[0]) fz_fail("a failed run without a message");
        if (dl_script_finish(S) != 0 && !dl_script_error(S)[0])
            fz_fail("a killed run without a message");
        dl_script_free(S);
    }
    free(src);
    return 0;
}

/* ===================================================================== */

dlfz_entry dlfz_find(const char *name)
{
    static const struct {
        const char *name;
        dlfz_entry fn;
    } all[] = {
        {"lesson", dlfz_lesson},     {"challenge", dlfz_challenge}, {"trace", dlfz_trace},
        {"progress", dlfz_progress}, {"engine", dlfz_engine},       {"lua", dlfz_lua},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i].name, name) == 0) return all[i].fn;
    return NULL;
}
