/* trace.c - rendering events into records, the in-memory trace, the writer.
 *
 * The writer prints JSON text directly instead of building a json_t per
 * event: it is several times faster and the records are flat. Strings are
 * valid UTF-8 by construction (dl_trace_render repairs them), so escaping
 * only has to deal with quotes, backslashes and control characters. Reading
 * goes through jansson (reader.c), which validates everything we print.
 */
#include "trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bigmem.h"
#include "engine/deferred.h"

/* ===================================================================== */
/* Names                                                                 */
/* ===================================================================== */

const char *dl_trace_strerror(int err)
{
    switch (err) {
#define DL_TRACE_ERR_MSG(name, num, msg)                                                           \
    case num:                                                                                      \
        return msg;
        DL_TRACE_ERRNO_MAP(DL_TRACE_ERR_MSG)
#undef DL_TRACE_ERR_MSG
    default:
        return dl_strerror(err);
    }
}

/* Indexed by dl_kind: the "vkind" field on the wire. */
static const char *const vkind_names[] = {"none",    "bool",     "int",     "num",
                                          "str",     "list",     "failure", "exception",
                                          "errtype", "deferred", "host",    "obj"};
#define VKIND_COUNT ((int)(sizeof vkind_names / sizeof vkind_names[0]))

const char *dl_trace_vkind_name(int kind)
{
    if (kind < 0 || kind >= VKIND_COUNT) return NULL;
    return vkind_names[kind];
}

int dl_trace_vkind_from_name(const char *name)
{
    if (!name) return -1;
    for (int k = 0; k < VKIND_COUNT; k++)
        if (strcmp(vkind_names[k], name) == 0) return k;
    return -1;
}

/* ===================================================================== */
/* UTF-8 repair                                                          */
/* ===================================================================== */

size_t dl__utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0; /* overlong */
    if (cp >= 0xd800 && cp <= 0xdfff) return 0;                           /* surrogate */
    if (cp > 0x10ffff) return 0;
    return len;
}

/* Copy src[0..n) to dst as valid UTF-8 (dst has room for 3n + 1); each bad
 * byte becomes U+FFFD. Returns the bytes written, NUL not counted. */
static size_t utf8_repair(char *dst, const char *src, size_t n)
{
    const unsigned char *p = (const unsigned char *)src;
    size_t w = 0, i = 0;
    while (i < n) {
        size_t len = dl__utf8_seq(p + i, n - i);
        if (len == 0) {
            memcpy(dst + w, "\xef\xbf\xbd", 3);
            w += 3;
            i++;
            continue;
        }
        memcpy(dst + w, p + i, len);
        w += len;
        i += len;
    }
    dst[w] = '\0';
    return w;
}

/* ===================================================================== */
/* Rendering                                                             */
/* ===================================================================== */

#define NO_OFF SIZE_MAX

static bool scratch_reserve(dl_trace_scratch *s, size_t extra)
{
    if (s->len + extra <= s->cap) return true;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + extra)
        cap *= 2;
    char *b = realloc(s->buf, cap);
    if (!b) return false;
    s->buf = b;
    s->cap = cap;
    return true;
}

/* Copy a repaired string into the scratch; returns its offset, NO_OFF for a
 * NULL string, or sets *oom. Offsets, not pointers: the buffer may move. */
static size_t scratch_str(dl_trace_scratch *s, const char *str, size_t n, bool *oom)
{
    if (!str) return NO_OFF;
    if (!scratch_reserve(s, 3 * n + 1)) {
        *oom = true;
        return NO_OFF;
    }
    size_t off = s->len;
    s->len += utf8_repair(s->buf + off, str, n) + 1;
    return off;
}

static size_t scratch_cstr(dl_trace_scratch *s, const char *str, bool *oom)
{
    return str ? scratch_str(s, str, strlen(str), oom) : NO_OFF;
}

/* The repr of v, rendered now, as a scratch offset. */
static size_t scratch_repr(dl_trace_scratch *s, dl_value v, bool *oom)
{
    char buf[2048];
    int n = dl_repr(v, buf, sizeof buf);
    size_t len = n < 0 ? 0 : (size_t)n;
    if (len >= sizeof buf) len = strlen(buf); /* cut: utf8_repair mends a split sequence */
    return scratch_str(s, buf, len, oom);
}

static bool scratch_id(dl_trace_scratch *s, uint32_t id)
{
    if (s->idlen == s->idcap) {
        size_t cap = s->idcap ? s->idcap * 2 : 64;
        uint32_t *n = realloc(s->ids, cap * sizeof *n);
        if (!n) return false;
        s->ids = n;
        s->idcap = cap;
    }
    s->ids[s->idlen++] = id;
    return true;
}

/* Kinds whose value is always meaningful, even when it is nil. */
static bool always_has_value(dl_event_kind k)
{
    return k == DL_EV_FIRED || k == DL_EV_CALL || k == DL_EV_RETURN || k == DL_EV_PASS ||
           k == DL_EV_HANDOFF || k == DL_EV_STOLEN || k == DL_EV_UNHANDLED ||
           k == DL_EV_CANCELLER_RAISED;
}

static bool always_has_num(dl_event_kind k)
{
    return k == DL_EV_CLOCK_ADVANCE || k == DL_EV_CALL_SCHEDULED || k == DL_EV_CALL_MOVED;
}

static bool is_state_list(dl_value v)
{
    if (v.kind != DL_LIST) return false;
    for (size_t i = 0; i < dl_list_len(v); i++)
        if (dl_list_len(dl_list_get(v, i)) != 2) return false;
    return true;
}

/* A value's Deferred ids when it is a Deferred or a non-empty list of
 * Deferreds; returns the count pushed (0 otherwise), or -1 on OOM. */
static long scratch_deferred_ids(dl_trace_scratch *s, dl_value v)
{
    if (v.kind == DL_DEFERRED) return scratch_id(s, v.u.o->id) ? 1 : -1;
    size_t n = dl_list_len(v);
    if (v.kind != DL_LIST || n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (dl_list_get(v, i).kind != DL_DEFERRED) return 0;
    for (size_t i = 0; i < n; i++)
        if (!scratch_id(s, dl_list_get(v, i).u.o->id)) return -1;
    return (long)n;
}

/* The wire has only null for non-finite numbers, and "-0" reads back as the
 * integer 0: settle both here so live and replayed records are identical. */
static double canon_double(double x)
{
    if (!isfinite(x)) return NAN;
    return x == 0 ? 0.0 : x;
}

int dl_trace_render(dl_trace_scratch *s, const dl_event *ev, dl_trace_rec *out)
{
    bool oom = false;
    memset(out, 0, sizeof *out);
    s->len = 0;
    s->idlen = 0;
    out->kind = (int32_t)ev->kind;
    out->kind_name = dl_event_wire_name(ev->kind);
    if (!out->kind_name) out->kind_name = "?";
    out->seq = ev->seq;
    out->t = canon_double(ev->time);
    out->d = ev->d;
    out->other = ev->other;
    out->index = ev->index;
    out->slot = -1;
    out->vkind = -1;
    if (ev->kind == DL_EV_CALL || ev->kind == DL_EV_RETURN || ev->kind == DL_EV_PASS)
        out->slot = (int8_t)ev->slot;
    if (ev->kind == DL_EV_PAUSED || ev->kind == DL_EV_UNPAUSED || ev->count != 0) {
        out->has |= DL_REC_COUNT;
        out->count = ev->count;
    }
    if (always_has_num(ev->kind) || ev->num != 0) {
        out->has |= DL_REC_NUM;
        out->num = canon_double(ev->num);
    }
    size_t value = NO_OFF;
    size_t name = scratch_cstr(s, ev->name, &oom);
    size_t name2 = scratch_cstr(s, ev->name2, &oom);
    size_t text = scratch_cstr(s, ev->text, &oom);
    size_t file = scratch_cstr(s, ev->file, &oom);
    out->line = ev->line > 0 ? ev->line : 0; /* 0 is "no line" on the wire */

    size_t nkv = 0;
    if (ev->kind == DL_EV_STATE && is_state_list(ev->value)) {
        nkv = dl_list_len(ev->value);
        if (nkv > s->kvcap) {
            dl_trace_kv *kv = realloc(s->kv, nkv * sizeof *kv);
            if (!kv) return DL_ENOMEM;
            s->kv = kv;
            s->kvcap = nkv;
        }
        for (size_t i = 0; i < nkv; i++) {
            dl_value pair = dl_list_get(ev->value, i);
            dl_value key = dl_list_get(pair, 0), val = dl_list_get(pair, 1);
            const char *ks = dl_str_cstr(key);
            size_t koff = ks ? scratch_cstr(s, ks, &oom) : scratch_repr(s, key, &oom);
            size_t voff = scratch_repr(s, val, &oom);
            size_t first = s->idlen;
            long nids = scratch_deferred_ids(s, val);
            if (nids < 0) oom = true;
            /* Offsets stored in the pointer fields, turned into pointers below
             * once the buffers have stopped moving. */
            s->kv[i].key = (const char *)(uintptr_t)koff;
            s->kv[i].repr = (const char *)(uintptr_t)voff;
            s->kv[i].ids = (const uint32_t *)(uintptr_t)first;
            s->kv[i].nids = nids > 0 ? (uint32_t)nids : 0;
        }
    } else if (always_has_value(ev->kind) || ev->value.kind != DL_NONE) {
        value = scratch_repr(s, ev->value, &oom);
        out->vkind = (int8_t)ev->value.kind;
    }
    if (oom) return DL_ENOMEM;

    out->value = value == NO_OFF ? NULL : s->buf + value;
    out->name = name == NO_OFF ? NULL : s->buf + name;
    out->name2 = name2 == NO_OFF ? NULL : s->buf + name2;
    out->text = text == NO_OFF ? NULL : s->buf + text;
    out->file = file == NO_OFF ? NULL : s->buf + file;
    if (ev->kind == DL_EV_STATE && is_state_list(ev->value)) {
        for (size_t i = 0; i < nkv; i++) {
            s->kv[i].key = s->buf + (uintptr_t)s->kv[i].key;
            s->kv[i].repr = s->buf + (uintptr_t)s->kv[i].repr;
            s->kv[i].ids = s->kv[i].nids ? s->ids + (uintptr_t)s->kv[i].ids : NULL;
        }
        out->state = s->kv;
        out->nstate = (uint32_t)nkv;
    }
    return 0;
}

void dl_trace_scratch_free(dl_trace_scratch *s)
{
    free(s->buf);
    free(s->kv);
    free(s->ids);
    memset(s, 0, sizeof *s);
}

/* ===================================================================== */
/* The in-memory trace                                                   */
/* ===================================================================== */

/* Records point into an arena of large chunks that never move, so a trace
 * of a million events costs a few big allocations, not millions. Past the
 * first few MiB the chunks (and the record array) come from bigmem.h on huge
 * pages: a million-event trace is some 200 MB, and faulting that in 4 KiB
 * at a time was most of what loading it cost. */
struct dl_trace_arena_chunk {
    dl_trace_arena_chunk *next;
    size_t used, cap;
    bool big; /* from dl_big_alloc */
    _Alignas(8) char data[];
};

#define ARENA_CHUNK   (256 * 1024)
#define BIG_THRESHOLD ((size_t)4 << 20) /* arena bytes (or record bytes) before going big */

static void *arena_alloc(dl_trace *t, size_t n, size_t align)
{
    dl_trace_arena_chunk *c = t->arena;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at + n > c->cap) {
        bool big = t->arena_bytes >= BIG_THRESHOLD;
        size_t want = sizeof *c + (n > ARENA_CHUNK ? n : ARENA_CHUNK);
        size_t len = big ? dl_big_round(want) : want;
        c = big ? dl_big_alloc(len) : malloc(len);
        if (!c) return NULL;
        c->next = t->arena;
        c->used = 0;
        c->cap = len - sizeof *c;
        c->big = big;
        t->arena = c;
        t->arena_bytes += len;
        at = 0;
    }
    c->used = at + n;
    return c->data + at;
}

/* Room for at least len + 1 records. */
static int grow_recs(dl_trace *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    size_t bytes = cap * sizeof *t->recs;
    if (bytes < BIG_THRESHOLD) {
        dl_trace_rec *r = realloc(t->recs, bytes);
        if (!r) return DL_ENOMEM;
        t->recs = r;
    } else if (t->recs_big) {
        dl_trace_rec *r = dl_big_grow(t->recs, t->cap * sizeof *t->recs, bytes);
        if (!r) return DL_ENOMEM;
        t->recs = r;
    } else {
        dl_trace_rec *r = dl_big_alloc(bytes);
        if (!r) return DL_ENOMEM;
        memcpy(r, t->recs, t->len * sizeof *r);
        free(t->recs);
        t->recs = r;
        t->recs_big = true;
    }
    t->cap = cap;
    return 0;
}

dl_trace *dl_trace_new(void)
{
    dl_trace *t = calloc(1, sizeof *t);
    if (t) t->header.version = DL_TRACE_VERSION;
    return t;
}

void dl_trace_free(dl_trace *t)
{
    if (!t) return;
    while (t->arena) {
        dl_trace_arena_chunk *c = t->arena;
        t->arena = c->next;
        if (c->big)
            dl_big_free(c, sizeof *c + c->cap);
        else
            free(c);
    }
    for (size_t i = 0; i < t->nwarnings; i++)
        free(t->warnings[i]);
    free(t->warnings);
    if (t->recs_big)
        dl_big_free(t->recs, t->cap * sizeof *t->recs);
    else
        free(t->recs);
    free(t);
}

int dl_trace_strdup(dl_trace *t, const char *s, const char **out)
{
    *out = NULL;
    if (!s) return 0;
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(t, n, 1);
    if (!p) return DL_ENOMEM;
    memcpy(p, s, n);
    *out = p;
    return 0;
}

int dl_trace_warn(dl_trace *t, const char *msg)
{
    char **w = realloc(t->warnings, (t->nwarnings + 1) * sizeof *w);
    if (!w) return DL_ENOMEM;
    t->warnings = w;
    char *copy = strdup(msg);
    if (!copy) return DL_ENOMEM;
    t->warnings[t->nwarnings++] = copy;
    return 0;
}

int dl_trace_append(dl_trace *t, const dl_trace_rec *rec)
{
    if (t->len == t->cap && grow_recs(t) != 0) return DL_ENOMEM;
    dl_trace_rec r = *rec;
    const char *wire = rec->kind >= 0 ? dl_event_wire_name((dl_event_kind)rec->kind) : NULL;
    int rc = 0;
    if (wire)
        r.kind_name = wire;
    else
        rc |= dl_trace_strdup(t, rec->kind_name ? rec->kind_name : "?", &r.kind_name);
    rc |= dl_trace_strdup(t, rec->value, &r.value);
    rc |= dl_trace_strdup(t, rec->name, &r.name);
    rc |= dl_trace_strdup(t, rec->name2, &r.name2);
    rc |= dl_trace_strdup(t, rec->text, &r.text);
    rc |= dl_trace_strdup(t, rec->file, &r.file);
    if (rc) return DL_ENOMEM;
    if (rec->nstate) {
        dl_trace_kv *kv = arena_alloc(t, rec->nstate * sizeof *kv, 8);
        if (!kv) return DL_ENOMEM;
        for (uint32_t i = 0; i < rec->nstate; i++) {
            const dl_trace_kv *src = &rec->state[i];
            rc |= dl_trace_strdup(t, src->key, &kv[i].key);
            rc |= dl_trace_strdup(t, src->repr, &kv[i].repr);
            kv[i].nids = src->nids;
            kv[i].ids = NULL;
            if (src->nids) {
                uint32_t *ids = arena_alloc(t, src->nids * sizeof *ids, 8);
                if (!ids) return DL_ENOMEM;
                memcpy(ids, src->ids, src->nids * sizeof *ids);
                kv[i].ids = ids;
            }
        }
        if (rc) return DL_ENOMEM;
        r.state = kv;
    } else {
        r.state = NULL;
    }
    t->recs[t->len++] = r;
    return 0;
}

/* ===================================================================== */
/* The writer                                                            */
/* ===================================================================== */

#define WBUF 65536

struct dl_trace_writer {
    FILE *f;
    char *buf;
    size_t len, cap;
    int err;
    uint64_t count;
    dl_trace_scratch scratch;
};

static void w_flush(dl_trace_writer *w)
{
    if (w->len && !w->err && fwrite(w->buf, 1, w->len, w->f) != w->len) w->err = DL_TRACE_EIO;
    w->len = 0;
}

/* Make room for n more bytes (flushing, or growing for one huge line). */
static bool w_room(dl_trace_writer *w, size_t n)
{
    if (w->len + n <= w->cap) return true;
    w_flush(w);
    if (n <= w->cap) return true;
    char *b = realloc(w->buf, n);
    if (!b) {
        w->err = w->err ? w->err : DL_ENOMEM;
        return false;
    }
    w->buf = b;
    w->cap = n;
    return true;
}

static void w_raw(dl_trace_writer *w, const char *s, size_t n)
{
    if (!w_room(w, n)) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define W_LIT(w, s) w_raw((w), (s), sizeof(s) - 1)

/* A JSON string. s is valid UTF-8; only ", \ and controls need escapes. */
static void w_str(dl_trace_writer *w, const char *s)
{
    size_t n = strlen(s);
    if (!w_room(w, 6 * n + 2)) return;
    static const char hex[] = "0123456789abcdef";
    char *o = w->buf + w->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\t':
            *o++ = 't';
            break;
        case '\r':
            *o++ = 'r';
            break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    w->len = (size_t)(o - w->buf);
}

static void w_u64(dl_trace_writer *w, uint64_t v)
{
    char tmp[24];
    int i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    w_raw(w, tmp + i, sizeof tmp - (size_t)i);
}

static void w_i64(dl_trace_writer *w, int64_t v)
{
    if (v < 0) {
        W_LIT(w, "-");
        w_u64(w, (uint64_t)0 - (uint64_t)v);
    } else {
        w_u64(w, (uint64_t)v);
    }
}

/* Shortest text that reads back as the same double; integral values print
 * without a fraction (the common case for virtual time, and the fastest). */
static void w_double(dl_trace_writer *w, double x)
{
    if (!isfinite(x)) {
        W_LIT(w, "null");
        return;
    }
    if (fabs(x) < 1e15 && x == (double)(int64_t)x && !(x == 0 && signbit(x))) {
        w_i64(w, (int64_t)x);
        return;
    }
    char tmp[48], out[48];
    snprintf(tmp, sizeof tmp, "%.15g", x);
    if (strtod(tmp, NULL) != x) snprintf(tmp, sizeof tmp, "%.17g", x);
    /* printf and strtod follow LC_NUMERIC (the TUI sets a locale for
     * ncursesw): turn whatever decimal separator it used into '.'. */
    size_t n = 0;
    bool sep = false;
    for (const char *p = tmp; *p; p++) {
        bool num = (*p >= '0' && *p <= '9') || *p == 'e' || *p == '+' || *p == '-';
        if (num)
            out[n++] = *p;
        else if (!sep)
            out[n++] = '.';
        sep |= !num;
    }
    w_raw(w, out, n);
}

static void w_key(dl_trace_writer *w, const char *k)
{
    w_raw(w, k, strlen(k));
}

dl_trace_writer *dl_trace_writer_new(FILE *f, const dl_trace_producer *p)
{
    dl_trace_writer *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->buf = malloc(WBUF);
    if (!w->buf) {
        free(w);
        return NULL;
    }
    w->cap = WBUF;
    w->f = f;
    W_LIT(w, "{\"format\":\"" DL_TRACE_FORMAT "\",\"version\":");
    w_u64(w, DL_TRACE_VERSION);
    W_LIT(w, ",\"producer\":{\"source\":");
    if (p && p->source) {
        char *src = malloc(3 * strlen(p->source) + 1);
        if (!src)
            w->err = DL_ENOMEM;
        else {
            utf8_repair(src, p->source, strlen(p->source));
            w_str(w, src);
            free(src);
        }
    } else {
        W_LIT(w, "null");
    }
    W_LIT(w, ",\"engine\":\"" DL_TRACE_ENGINE "\",\"semantics\":");
    if (p && p->semantics == DL_SEMANTICS_PROPOSED)
        W_LIT(w, "\"proposed\"");
    else
        W_LIT(w, "\"twisted\"");
    W_LIT(w, ",\"clock\":");
    if (p && p->realtime)
        W_LIT(w, "\"realtime\"}}\n");
    else
        W_LIT(w, "\"virtual\"}}\n");
    return w;
}

int dl_trace_writer_write(dl_trace_writer *w, const dl_trace_rec *r)
{
    if (w->err) return w->err;
    W_LIT(w, "{\"seq\":");
    w_u64(w, r->seq);
    W_LIT(w, ",\"t\":");
    w_double(w, r->t);
    W_LIT(w, ",\"kind\":");
    w_str(w, r->kind_name);
    if (r->d) {
        W_LIT(w, ",\"d\":");
        w_u64(w, r->d);
    }
    if (r->other) {
        W_LIT(w, ",\"other\":");
        w_u64(w, r->other);
    }
    if (r->index) {
        W_LIT(w, ",\"index\":");
        w_u64(w, r->index);
    }
    if (r->slot == DL_SLOT_CALLBACK)
        W_LIT(w, ",\"slot\":\"callback\"");
    else if (r->slot == DL_SLOT_ERRBACK)
        W_LIT(w, ",\"slot\":\"errback\"");
    if (r->has & DL_REC_COUNT) {
        W_LIT(w, ",\"count\":");
        w_i64(w, r->count);
    }
    if (r->has & DL_REC_NUM) {
        W_LIT(w, ",\"num\":");
        w_double(w, r->num);
    }
    if (r->value) {
        W_LIT(w, ",\"value\":");
        w_str(w, r->value);
        const char *vk = dl_trace_vkind_name(r->vkind);
        if (vk) {
            W_LIT(w, ",\"vkind\":");
            w_str(w, vk);
        }
    }
    static const char *const keys[] = {",\"name\":", ",\"name2\":", ",\"text\":", ",\"file\":"};
    const char *strs[] = {r->name, r->name2, r->text, r->file};
    for (int i = 0; i < 4; i++) {
        if (!strs[i]) continue;
        w_key(w, keys[i]);
        w_str(w, strs[i]);
    }
    if (r->line) {
        W_LIT(w, ",\"line\":");
        w_i64(w, r->line);
    }
    if (r->state) {
        W_LIT(w, ",\"state\":{");
        bool any_ids = false;
        for (uint32_t i = 0; i < r->nstate; i++) {
            if (i) W_LIT(w, ",");
            w_str(w, r->state[i].key);
            W_LIT(w, ":");
            w_str(w, r->state[i].repr);
            any_ids |= r->state[i].nids > 0;
        }
        W_LIT(w, "}");
        if (any_ids) {
            W_LIT(w, ",\"ids\":{");
            bool first = true;
            for (uint32_t i = 0; i < r->nstate; i++) {
                if (!r->state[i].nids) continue;
                if (!first) W_LIT(w, ",");
                first = false;
                w_str(w, r->state[i].key);
                W_LIT(w, ":[");
                for (uint32_t j = 0; j < r->state[i].nids; j++) {
                    if (j) W_LIT(w, ",");
                    w_u64(w, r->state[i].ids[j]);
                }
                W_LIT(w, "]");
            }
            W_LIT(w, "}");
        }
    }
    W_LIT(w, "}\n");
    if (!w->err) w->count++;
    return w->err;
}

void dl_trace_writer_observe(void *ud, const dl_event *ev)
{
    dl_trace_writer *w = ud;
    dl_trace_rec rec;
    if (w->err) return;
    int rc = dl_trace_render(&w->scratch, ev, &rec);
    if (rc) {
        w->err = rc;
        return;
    }
    dl_trace_writer_write(w, &rec);
}

int dl_trace_writer_error(const dl_trace_writer *w)
{
    return w->err;
}

uint64_t dl_trace_writer_count(const dl_trace_writer *w)
{
    return w->count;
}

int dl_trace_writer_close(dl_trace_writer *w)
{
    if (!w) return 0;
    w_flush(w);
    if (fflush(w->f) != 0 && !w->err) w->err = DL_TRACE_EIO;
    if (ferror(w->f) && !w->err) w->err = DL_TRACE_EIO;
    int err = w->err;
    dl_trace_scratch_free(&w->scratch);
    free(w->buf);
    free(w);
    return err;
}

uint32_t dl_trace_rec_deferred(const dl_trace_rec *r)
{
    if (!r) return 0;
    switch (r->kind) {
    case DL_EV_STATE:
    case DL_EV_CLOCK_ADVANCE:
    case DL_EV_CALL_SCHEDULED:
    case DL_EV_CALL_RAN:
    case DL_EV_CALL_CANCELLED:
    case DL_EV_CALL_MOVED:
    case DL_EV_CELL:
    case DL_EV_NOTE:
    case DL_EV_OUTPUT:
        return 0;
    default:
        return r->kind < 0 ? 0 : r->d;
    }
}
