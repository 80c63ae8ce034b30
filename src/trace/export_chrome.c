/* export_chrome.c - Chrome trace event JSON from a loaded trace.
 *
 * Two passes over the records: the first learns every Deferred's label and
 * class, every structure's name, and whether time ever moves; the second
 * writes the events. Each entry of traceEvents is built as a small json_t
 * and dumped on its own line, so memory stays flat however long the trace.
 */
#include "trace/export_chrome.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/event.h"

#define PID_DEFERREDS  1
#define PID_STRUCTURES 2

/* ===================================================================== */
/* Names of tracks                                                       */
/* ===================================================================== */

typedef struct track {
    uint32_t id;
    int pid;
    const char *label; /* the latest label, or NULL */
    const char *cls;   /* class / structure kind, or NULL */
} track;

typedef struct tracks {
    track *v;
    size_t len, cap;
    uint32_t *slots; /* open addressing: index + 1 into v, 0 = empty */
    size_t nslots;   /* a power of two, at least twice len */
} tracks;

static size_t hash(int pid, uint32_t id, size_t nslots)
{
    uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ull) ^ (uint64_t)pid;
    return (size_t)(h >> 17) & (nslots - 1);
}

static bool rehash(tracks *ts, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots) return false;
    for (size_t k = 0; k < ts->len; k++) {
        size_t h = hash(ts->v[k].pid, ts->v[k].id, nslots);
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = (uint32_t)k + 1;
    }
    free(ts->slots);
    ts->slots = slots;
    ts->nslots = nslots;
    return true;
}

static const track *track_find(const tracks *ts, int pid, uint32_t id)
{
    if (!ts->nslots) return NULL;
    for (size_t h = hash(pid, id, ts->nslots); ts->slots[h]; h = (h + 1) & (ts->nslots - 1)) {
        const track *t = &ts->v[ts->slots[h] - 1];
        if (t->id == id && t->pid == pid) return t;
    }
    return NULL;
}

static track *track_get(tracks *ts, int pid, uint32_t id, bool *oom)
{
    const track *found = track_find(ts, pid, id);
    if (found) return &ts->v[found - ts->v];
    if (ts->len == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;
        track *nv = cap < UINT32_MAX ? realloc(ts->v, cap * sizeof *nv) : NULL;
        if (!nv) {
            *oom = true;
            return NULL;
        }
        ts->v = nv;
        ts->cap = cap;
    }
    ts->v[ts->len++] = (track){.id = id, .pid = pid};
    if (ts->len * 2 > ts->nslots) { /* grow the table; this indexes the new track too */
        if (!rehash(ts, ts->nslots ? ts->nslots * 2 : 256)) {
            ts->len--;
            *oom = true;
            return NULL;
        }
    } else {
        size_t h = hash(pid, id, ts->nslots);
        while (ts->slots[h])
            h = (h + 1) & (ts->nslots - 1);
        ts->slots[h] = (uint32_t)ts->len;
    }
    return &ts->v[ts->len - 1];
}

static int by_pid_id(const void *a, const void *b)
{
    const track *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static bool is_structure_event(int kind)
{
    return kind == DL_EV_STATE || kind == DL_EV_CLOCK_ADVANCE || kind == DL_EV_CALL_SCHEDULED ||
           kind == DL_EV_CALL_RAN || kind == DL_EV_CALL_CANCELLED || kind == DL_EV_CALL_MOVED;
}

/* "inner" / "d#3" for a Deferred. */
static void deferred_name(const tracks *ts, uint32_t id, char *buf, size_t n)
{
    const track *t = track_find(ts, PID_DEFERREDS, id);
    if (t && t->label)
        snprintf(buf, n, "%s", t->label);
    else
        snprintf(buf, n, "d#%u", (unsigned)id);
}

/* ===================================================================== */
/* Writing                                                               */
/* ===================================================================== */

typedef struct writer {
    FILE *out;
    const dl_trace *t;
    tracks tr;
    dl_chrome_stats st;
    bool first, oom, io;
    long long end_ts; /* ts after the last event */
} writer;

/* A JSON string that is always valid: records are valid UTF-8, but a trace
 * built by hand might not be. */
static json_t *jstr(const char *s)
{
    json_t *j = json_string(s ? s : "");
    return j ? j : json_string("\xef\xbf\xbd");
}

static void set(writer *w, json_t *o, const char *key, json_t *v)
{
    if (!v || json_object_set_new(o, key, v) != 0) w->oom = true;
}

static void emit(writer *w, json_t *ev)
{
    if (!ev) {
        w->oom = true;
        return;
    }
    if (!w->oom && !w->io) {
        if (fputs(w->first ? "\n" : ",\n", w->out) == EOF ||
            json_dumpf(ev, w->out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
            w->io = true;
        w->first = false;
        w->st.events++;
    }
    json_decref(ev);
}

static json_t *event(writer *w, const char *ph, const char *name, const char *cat, long long ts,
                     int pid, uint32_t tid)
{
    json_t *e = json_object();
    if (!e) return NULL;
    set(w, e, "name", jstr(name));
    if (cat) set(w, e, "cat", jstr(cat));
    set(w, e, "ph", jstr(ph));
    set(w, e, "ts", json_integer(ts));
    set(w, e, "pid", json_integer(pid));
    set(w, e, "tid", json_integer(tid));
    return e;
}

static void metadata(writer *w, const char *what, int pid, uint32_t tid, const char *key,
                     json_t *value)
{
    json_t *e = event(w, "M", what, NULL, 0, pid, tid);
    if (e) {
        json_t *args = json_object();
        if (args)
            set(w, args, key, value);
        else
            json_decref(value);
        set(w, e, "args", args);
    } else {
        json_decref(value);
    }
    emit(w, e);
}

/* The args every event carries: where it is in the trace and the script. */
static json_t *base_args(writer *w, const dl_trace_rec *r)
{
    json_t *a = json_object();
    if (!a) return NULL;
    set(w, a, "seq", json_integer((json_int_t)r->seq));
    set(w, a, "t", isfinite(r->t) ? json_real(r->t) : json_null());
    if (r->file) set(w, a, "file", jstr(r->file));
    if (r->line) set(w, a, "line", json_integer(r->line));
    return a;
}

static void add_value(writer *w, json_t *args, const char *key, const dl_trace_rec *r)
{
    if (!args || !r->value) return;
    set(w, args, key, jstr(r->value));
    const char *vk = dl_trace_vkind_name(r->vkind);
    if (vk) {
        char k[64];
        snprintf(k, sizeof k, "%s_kind", key);
        set(w, args, k, jstr(vk));
    }
}

/* An instant event on a track. */
static void instant(writer *w, const dl_trace_rec *r, long long ts, int pid, uint32_t tid,
                    const char *name, const char *scope, json_t *args)
{
    json_t *e = event(w, "i", name, r->kind_name, ts, pid, tid);
    if (e) {
        set(w, e, "s", jstr(scope));
        set(w, e, "args", args);
    } else {
        json_decref(args);
    }
    emit(w, e);
}

static void slice(writer *w, const char *name, const char *cat, long long ts, long long dur,
                  uint32_t tid, json_t *args)
{
    json_t *e = event(w, "X", name, cat, ts, PID_DEFERREDS, tid);
    if (e) {
        set(w, e, "dur", json_integer(dur));
        set(w, e, "args", args);
    } else {
        json_decref(args);
    }
    emit(w, e);
    w->st.slices++;
}

/* A flow arrow from (ts_from, from) to (ts_to, to), both bound to a slice. */
static void flow(writer *w, const char *name, long long ts_from, uint32_t from, long long ts_to,
                 uint32_t to)
{
    json_int_t id = (json_int_t)w->st.flows + 1;
    json_t *s = event(w, "s", name, "link", ts_from, PID_DEFERREDS, from);
    if (s) set(w, s, "id", json_integer(id));
    emit(w, s);
    json_t *f = event(w, "f", name, "link", ts_to, PID_DEFERREDS, to);
    if (f) {
        set(w, f, "id", json_integer(id));
        set(w, f, "bp", jstr("e"));
    }
    emit(w, f);
    w->st.flows++;
}

/* ===================================================================== */
/* Open invocations and pending waits                                    */
/* ===================================================================== */

typedef struct open_call {
    uint32_t d, index;
    long long ts;
    const dl_trace_rec *call;
} open_call;

typedef struct wait_link {
    uint32_t w, r;
    long long ts;
} wait_link;

typedef struct state {
    open_call *calls;
    size_t ncalls, capcalls;
    wait_link *waits;
    size_t nwaits, capwaits;
} state;

static bool grow(void **v, size_t *cap, size_t len, size_t size)
{
    if (len < *cap) return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, ncap * size);
    if (!nv) return false;
    *v = nv;
    *cap = ncap;
    return true;
}

static void close_call(writer *w, const open_call *c, const dl_trace_rec *ret, long long ts)
{
    const dl_trace_rec *r = c->call;
    char name[300];
    snprintf(name, sizeof name, "#%u %s", (unsigned)c->index, r->name ? r->name : "?");
    const char *slot = r->slot == DL_SLOT_ERRBACK ? "errback" : "callback";
    json_t *a = base_args(w, r);
    if (a) {
        set(w, a, "index", json_integer(c->index));
        set(w, a, "slot", jstr(slot));
        add_value(w, a, "input", r);
        if (ret) {
            add_value(w, a, "output", ret);
            set(w, a, "raised", json_boolean(ret->has & DL_REC_COUNT && ret->count == 1));
            set(w, a, "return_seq", json_integer((json_int_t)ret->seq));
        } else {
            set(w, a, "unfinished", json_true());
        }
    }
    long long dur = ts - c->ts;
    slice(w, name, slot, c->ts, dur > 0 ? dur : 1, c->d, a);
}

/* A link slice on tid plus args naming the other Deferred. */
static void link_slice(writer *w, const dl_trace_rec *r, long long ts, uint32_t tid,
                       const char *verb, uint32_t other)
{
    char on[160], name[220];
    deferred_name(&w->tr, other, on, sizeof on);
    snprintf(name, sizeof name, "%s %s", verb, on);
    json_t *a = base_args(w, r);
    if (a) {
        set(w, a, "other", jstr(on));
        set(w, a, "other_id", json_integer(other));
        add_value(w, a, "value", r);
    }
    slice(w, name, "link", ts, 1, tid, a);
}

static void one(writer *w, state *s, const dl_trace_rec *r, long long ts)
{
    char name[400];
    uint32_t d = r->d;
    int pid = PID_DEFERREDS;
    uint32_t tid = d;
    if (r->kind >= 0 && is_structure_event(r->kind)) pid = PID_STRUCTURES;
    json_t *a;

    switch (r->kind) {
    case DL_EV_CALL:
        if (!grow((void **)&s->calls, &s->capcalls, s->ncalls, sizeof *s->calls)) {
            w->oom = true;
            return;
        }
        s->calls[s->ncalls++] = (open_call){d, r->index, ts, r};
        return;
    case DL_EV_RETURN:
        for (size_t k = s->ncalls; k-- > 0;) {
            if (s->calls[k].d != d || s->calls[k].index != r->index) continue;
            close_call(w, &s->calls[k], r, ts);
            memmove(&s->calls[k], &s->calls[k + 1], (s->ncalls - k - 1) * sizeof *s->calls);
            s->ncalls--;
            return;
        }
        /* A return without its call (a trace that starts mid-run). */
        a = base_args(w, r);
        add_value(w, a, "output", r);
        snprintf(name, sizeof name, "return #%u", (unsigned)r->index);
        instant(w, r, ts, pid, tid, name, "t", a);
        return;
    case DL_EV_WAITING:
        link_slice(w, r, ts, d, "waits on", r->other);
        if (!grow((void **)&s->waits, &s->capwaits, s->nwaits, sizeof *s->waits)) {
            w->oom = true;
            return;
        }
        s->waits[s->nwaits++] = (wait_link){d, r->other, ts};
        return;
    case DL_EV_HANDOFF:
    case DL_EV_STOLEN: {
        bool handoff = r->kind == DL_EV_HANDOFF;
        link_slice(w, r, ts, r->other, handoff ? "hands result to" : "result taken by", d);
        if (r->other != d) {
            link_slice(w, r, ts, d, handoff ? "handoff from" : "took result of", r->other);
            flow(w, handoff ? "handoff" : "stolen", ts, r->other, ts, d);
        }
        for (size_t k = 0; k < s->nwaits; k++) {
            if (s->waits[k].w != d || s->waits[k].r != r->other) continue;
            if (r->other != d) flow(w, "waiting", s->waits[k].ts, d, ts, r->other);
            s->waits[k] = s->waits[--s->nwaits];
            break;
        }
        return;
    }
    case DL_EV_CHAINED:
        link_slice(w, r, ts, d, "chainDeferred ->", r->other);
        if (r->other && r->other != d) {
            link_slice(w, r, ts, r->other, "chained from", d);
            flow(w, "chainDeferred", ts, d, ts, r->other);
        }
        return;
    default:
        break;
    }

    /* Instants. */
    a = base_args(w, r);
    const char *scope = "t";
    switch (r->kind) {
    case DL_EV_CREATED:
        snprintf(name, sizeof name, "created %s", r->text ? r->text : "Deferred");
        break;
    case DL_EV_LABEL:
        snprintf(name, sizeof name, "label %s", r->text ? r->text : "");
        break;
    case DL_EV_ADDED:
        if (r->other) {
            char on[160];
            deferred_name(&w->tr, r->other, on, sizeof on);
            snprintf(name, sizeof name, "added #%u continuation -> %s", (unsigned)r->index, on);
            if (a) set(w, a, "continuation_for", json_integer(r->other));
        } else {
            snprintf(name, sizeof name, "added #%u %s / %s", (unsigned)r->index,
                     r->name ? r->name : "passthru", r->name2 ? r->name2 : "passthru");
        }
        break;
    case DL_EV_FIRED:
        snprintf(name, sizeof name, "fired: %s", r->text ? r->text : "callback");
        add_value(w, a, "value", r);
        break;
    case DL_EV_PASS:
        snprintf(name, sizeof name, "pass #%u (no %s)", (unsigned)r->index,
                 r->slot == DL_SLOT_ERRBACK ? "errback" : "callback");
        add_value(w, a, "value", r);
        break;
    case DL_EV_PAUSED:
    case DL_EV_UNPAUSED:
        snprintf(name, sizeof name, "%s (%lld)", r->kind_name, (long long)r->count);
        if (a) set(w, a, "count", json_integer(r->count));
        break;
    case DL_EV_CANCEL:
        snprintf(name, sizeof name, "cancel");
        break;
    case DL_EV_UNHANDLED:
        snprintf(name, sizeof name, "UNHANDLED %s", r->value ? r->value : "");
        add_value(w, a, "value", r);
        break;
    case DL_EV_CANCELLER:
        snprintf(name, sizeof name, "canceller %s", r->name ? r->name : "");
        break;
    case DL_EV_CLOCK_ADVANCE:
        snprintf(name, sizeof name, "clock -> %g", r->num);
        if (a) set(w, a, "now", isfinite(r->num) ? json_real(r->num) : json_null());
        break;
    case DL_EV_CALL_SCHEDULED:
    case DL_EV_CALL_RAN:
    case DL_EV_CALL_CANCELLED:
    case DL_EV_CALL_MOVED:
        snprintf(name, sizeof name, "%s #%u %s", r->kind_name, (unsigned)r->other,
                 r->name ? r->name : "");
        if (a && (r->has & DL_REC_NUM))
            set(w, a, "due", isfinite(r->num) ? json_real(r->num) : json_null());
        break;
    case DL_EV_STATE:
        snprintf(name, sizeof name, "state");
        if (a) {
            json_t *st = json_object();
            for (uint32_t k = 0; st && k < r->nstate; k++)
                set(w, st, r->state[k].key ? r->state[k].key : "", jstr(r->state[k].repr));
            set(w, a, "state", st);
        }
        break;
    case DL_EV_CELL:
        snprintf(name, sizeof name, "cell %lld", (long long)r->count);
        scope = "g";
        tid = 0;
        break;
    default:
        snprintf(name, sizeof name, "%s", r->kind_name);
        break;
    }
    if (a && r->text && r->kind != DL_EV_CREATED && r->kind != DL_EV_LABEL)
        set(w, a, "text", jstr(r->text));
    if (a && r->name && r->kind != DL_EV_ADDED) set(w, a, "fn", jstr(r->name));
    if (a && r->value && !json_object_get(a, "value")) add_value(w, a, "value", r);
    if (a && r->other && !json_object_get(a, "other_id"))
        set(w, a, "other_id", json_integer(r->other));
    instant(w, r, ts, pid, tid, name, scope, a);
}

/* ===================================================================== */
/* The export                                                            */
/* ===================================================================== */

static void scan(writer *w)
{
    const dl_trace *t = w->t;
    for (size_t i = 0; i < t->len && !w->oom; i++) {
        const dl_trace_rec *r = &t->recs[i];
        if (r->kind < 0 || r->kind == DL_EV_CELL || r->kind == DL_EV_OUTPUT ||
            r->kind == DL_EV_NOTE)
            continue;
        if (is_structure_event(r->kind)) {
            if (!r->d) continue;
            track *s = track_get(&w->tr, PID_STRUCTURES, r->d, &w->oom);
            if (s && r->kind == DL_EV_STATE) {
                if (r->text) s->cls = r->text;
                if (r->name) s->label = r->name;
            } else if (s && r->kind == DL_EV_CLOCK_ADVANCE && !s->cls) {
                s->cls = "Clock";
            }
            continue;
        }
        if (!r->d) continue;
        track *d = track_get(&w->tr, PID_DEFERREDS, r->d, &w->oom);
        if (d && r->kind == DL_EV_CREATED && r->text) d->cls = r->text;
        if (d && r->kind == DL_EV_LABEL && r->text) d->label = r->text;
        /* The other side of a link is a Deferred too. */
        if (r->other &&
            (r->kind == DL_EV_WAITING || r->kind == DL_EV_HANDOFF || r->kind == DL_EV_STOLEN ||
             r->kind == DL_EV_CHAINED || r->kind == DL_EV_ADDED))
            track_get(&w->tr, PID_DEFERREDS, r->other, &w->oom);
    }
}

static void write_metadata(writer *w)
{
    const dl_trace_header *h = &w->t->header;
    char name[600];
    snprintf(name, sizeof name, "deferlab: %s", h->source ? h->source : "trace");
    metadata(w, "process_name", PID_DEFERREDS, 0, "name", jstr(name));
    metadata(w, "process_sort_index", PID_DEFERREDS, 0, "sort_index", json_integer(1));
    metadata(w, "thread_name", PID_DEFERREDS, 0, "name", jstr("script"));
    metadata(w, "thread_sort_index", PID_DEFERREDS, 0, "sort_index", json_integer(0));
    bool structures = false;
    for (size_t k = 0; k < w->tr.len; k++) {
        const track *t = &w->tr.v[k];
        if (t->pid == PID_STRUCTURES && !structures) {
            metadata(w, "process_name", PID_STRUCTURES, 0, "name", jstr("structures"));
            metadata(w, "process_sort_index", PID_STRUCTURES, 0, "sort_index", json_integer(2));
            structures = true;
        }
        if (t->pid == PID_DEFERREDS) {
            char base[200];
            deferred_name(&w->tr, t->id, base, sizeof base);
            if (t->label)
                snprintf(name, sizeof name, "%s (d#%u)", base, (unsigned)t->id);
            else
                snprintf(name, sizeof name, "%s", base);
            if (t->cls && strcmp(t->cls, "Deferred") != 0) {
                size_t n = strlen(name);
                snprintf(name + n, sizeof name - n, " [%s]", t->cls);
            }
        } else {
            snprintf(name, sizeof name, "%s%s%s #%u", t->cls ? t->cls : "structure",
                     t->label ? " " : "", t->label ? t->label : "", (unsigned)t->id);
        }
        metadata(w, "thread_name", t->pid, t->id, "name", jstr(name));
        metadata(w, "thread_sort_index", t->pid, t->id, "sort_index", json_integer(t->id));
    }
}

static int finish(writer *w)
{
    if (w->oom) return DL_ENOMEM;
    if (w->io) return DL_TRACE_EIO;
    return 0;
}

int dl_export_chrome(const dl_trace *t, FILE *out, dl_chrome_stats *stats)
{
    writer w = {.out = out, .t = t, .first = true};
    state s = {0};
    int rc;
    json_t *other = NULL;

    /* Does time move? */
    bool moves = false;
    for (size_t i = 1; i < t->len && !moves; i++)
        if (isfinite(t->recs[i].t) && t->recs[i].t != t->recs[0].t) moves = true;
    w.st.seq_time = !moves;

    scan(&w);
    if (w.oom) goto done;
    qsort(w.tr.v, w.tr.len, sizeof *w.tr.v, by_pid_id);
    if (w.tr.len && !rehash(&w.tr, w.tr.nslots)) {
        w.oom = true;
        goto done;
    }

    if (fputs("{\"traceEvents\":[", out) == EOF) w.io = true;
    write_metadata(&w);

    long long prev = -1;
    for (size_t i = 0; i < t->len && !w.oom && !w.io; i++) {
        const dl_trace_rec *r = &t->recs[i];
        long long ts;
        if (w.st.seq_time) {
            ts = (long long)r->seq;
            if (ts <= prev) ts = prev + 1; /* seqs restarted or repeated: keep order */
        } else {
            double us = isfinite(r->t) ? r->t * 1e6 : 0;
            ts = us > 9e15 ? (long long)9e15 : us < 0 ? 0 : llround(us);
            if (ts <= prev) ts = prev + 1;
        }
        prev = ts;
        one(&w, &s, r, ts);
    }
    w.end_ts = prev + 1;
    /* Invocations the trace never returned from end with it. */
    for (size_t k = 0; k < s.ncalls; k++)
        close_call(&w, &s.calls[k], NULL, w.end_ts);

    other = json_object();
    if (!other) {
        w.oom = true;
        goto done;
    }
    const dl_trace_header *h = &t->header;
    set(&w, other, "producer", jstr(DL_TRACE_ENGINE));
    set(&w, other, "format", jstr("deferlab-trace"));
    set(&w, other, "source", h->source ? jstr(h->source) : json_null());
    set(&w, other, "semantics", jstr(h->semantics ? h->semantics : "twisted"));
    set(&w, other, "clock", jstr(h->clock ? h->clock : "virtual"));
    set(&w, other, "events", json_integer((json_int_t)t->len));
    set(&w, other, "time_base", jstr(w.st.seq_time ? "seq" : "time"));
    set(&w, other, "time_note",
        jstr(w.st.seq_time
                 ? "virtual time did not move during this trace: ts is the event sequence "
                   "number, shown as microseconds (1 us = 1 event); args.t is the real time"
                 : "ts is the event time in microseconds; events at the same time are spread "
                   "1 us apart in sequence order; args.seq is the event number"));
    if (!w.oom && !w.io) {
        if (fputs("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":", out) == EOF ||
            json_dumpf(other, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
            fputs("}\n", out) == EOF || fflush(out) != 0 || ferror(out))
            w.io = true;
    }
done:
    json_decref(other);
    rc = finish(&w);
    if (stats) *stats = w.st;
    free(s.calls);
    free(s.waits);
    free(w.tr.v);
    free(w.tr.slots);
    return rc;
}
