/* reader.c - parse a .jsonl trace with jansson, one line at a time.
 *
 * Each line is parsed into a dl_trace_rec that borrows from the json_t and
 * then appended with dl_trace_append, the same copy the live path uses, so a
 * loaded record is byte for byte what the writer was given.
 */
#include "reader.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define KIND_CACHE 64

typedef struct reader {
    const char *name;
    size_t lineno;
    dl_trace *t;
    char *err;
    size_t errlen;
    dl_trace_kv *kv;
    size_t kvcap;
    uint32_t *ids;
    size_t idcap;
    char first_unknown_field[64];
    size_t first_unknown_field_line;
    char first_unknown_kind[64];
    size_t first_unknown_kind_line;
    size_t first_disorder_line; /* the first event whose seq is not above the one before */
    uint64_t disorder_seq, disorder_prev;
    const char *kind_cache[KIND_CACHE]; /* see kind_from_wire */
    int kind_cache_val[KIND_CACHE];
    char *fastbuf; /* decoded strings of the line the fast path is reading */
    size_t fastcap;
} reader;

static int fail(reader *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader *r, int code, const char *fmt, ...)
{
    if (!r->errlen) return code;
    int n = snprintf(r->err, r->errlen, "%s:%zu: ", r->name, r->lineno);
    if (n < 0 || (size_t)n >= r->errlen) return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

static const char *json_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* jansson quotes the offending input; binary junk must not reach a terminal. */
static const char *printable(char *s)
{
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) *p = '?';
    return s;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return false;
    return true;
}

/* ---- fields ----------------------------------------------------------- */

/* One field's value as either parser saw it, so that the rules for what a
 * field may hold live in one place (set_field) for both parsers. */
typedef enum { FV_STR, FV_INT, FV_REAL, FV_NULL, FV_OTHER } fv_type;

typedef struct fval {
    fv_type type;
    const char *s; /* FV_STR */
    int64_t i;     /* FV_INT */
    double d;      /* FV_REAL */
    json_t *j;     /* FV_OTHER (jansson path only) */
} fval;

static const char *fv_type_name(const fval *v)
{
    switch (v->type) {
    case FV_STR:
        return "a string";
    case FV_INT:
        return "an integer";
    case FV_REAL:
        return "a number";
    case FV_NULL:
        return "null";
    default:
        return json_type_name(v->j);
    }
}

static fval fv_json(json_t *j)
{
    fval v = {.type = FV_OTHER, .j = j};
    if (json_is_string(j)) {
        v.type = FV_STR;
        v.s = json_string_value(j);
    } else if (json_is_integer(j)) {
        v.type = FV_INT;
        v.i = json_integer_value(j);
    } else if (json_is_real(j)) {
        v.type = FV_REAL;
        v.d = json_real_value(j);
    } else if (json_is_null(j)) {
        v.type = FV_NULL;
    }
    return v;
}

static int get_u32(reader *r, const char *key, const fval *v, uint32_t *out)
{
    if (v->type != FV_INT || v->i < 0 || v->i > (int64_t)UINT32_MAX)
        return fail(r, DL_TRACE_EFORMAT, "field \"%s\" must be an id (0..4294967295), got %s", key,
                    fv_type_name(v));
    *out = (uint32_t)v->i;
    return 0;
}

static int get_num(reader *r, const char *key, const fval *v, double *out)
{
    if (v->type == FV_NULL)
        *out = NAN; /* how the writer spells a non-finite number */
    else if (v->type == FV_INT)
        *out = (double)v->i;
    else if (v->type == FV_REAL)
        *out = v->d;
    else
        return fail(r, DL_TRACE_EFORMAT, "field \"%s\" must be a number, got %s", key,
                    fv_type_name(v));
    return 0;
}

static int get_str(reader *r, const char *key, const fval *v, const char **out)
{
    if (v->type != FV_STR)
        return fail(r, DL_TRACE_EFORMAT, "field \"%s\" must be a string, got %s", key,
                    fv_type_name(v));
    *out = v->s;
    return 0;
}

/* The state object (and its ids companion) into r->kv / r->ids. */
static int get_state(reader *r, json_t *state, json_t *ids, dl_trace_rec *rec)
{
    if (!json_is_object(state))
        return fail(r, DL_TRACE_EFORMAT, "field \"state\" must be an object, got %s",
                    json_type_name(state));
    if (ids && !json_is_object(ids))
        return fail(r, DL_TRACE_EFORMAT, "field \"ids\" must be an object, got %s",
                    json_type_name(ids));
    size_t n = json_object_size(state), nids = 0;
    const char *key;
    json_t *v;
    json_object_foreach(ids, key, v)
    {
        if (!json_is_array(v))
            return fail(r, DL_TRACE_EFORMAT, "ids of \"%s\" must be an array", key);
        nids += json_array_size(v);
    }
    if (n > r->kvcap) {
        dl_trace_kv *kv = realloc(r->kv, n * sizeof *kv);
        if (!kv) return fail(r, DL_ENOMEM, "out of memory");
        r->kv = kv;
        r->kvcap = n;
    }
    if (nids > r->idcap) {
        uint32_t *p = realloc(r->ids, nids * sizeof *p);
        if (!p) return fail(r, DL_ENOMEM, "out of memory");
        r->ids = p;
        r->idcap = nids;
    }
    size_t i = 0, used = 0;
    json_object_foreach(state, key, v)
    {
        if (!json_is_string(v))
            return fail(r, DL_TRACE_EFORMAT, "state \"%s\" must be a string (a repr), got %s", key,
                        json_type_name(v));
        dl_trace_kv *kv = &r->kv[i++];
        kv->key = key;
        kv->repr = json_string_value(v);
        kv->ids = NULL;
        kv->nids = 0;
        json_t *list = ids ? json_object_get(ids, key) : NULL;
        if (!list || json_array_size(list) == 0) continue;
        kv->ids = r->ids + used;
        size_t j;
        json_t *id;
        json_array_foreach(list, j, id)
        {
            fval f = fv_json(id);
            if (get_u32(r, "ids", &f, &r->ids[used])) return DL_TRACE_EFORMAT;
            used++;
        }
        kv->nids = (uint32_t)json_array_size(list);
    }
    rec->state = r->kv;
    rec->nstate = (uint32_t)n;
    return 0;
}

static void note_unknown(char *first, size_t firstlen, size_t *first_line, size_t lineno,
                         const char *what)
{
    if (*first_line) return;
    snprintf(first, firstlen, "%s", what);
    *first_line = lineno;
}

/* What an event line is being parsed into. */
typedef struct evparse {
    dl_trace_rec *rec;
    bool have_seq, have_kind;
    const char *vkind;
    json_t *state, *ids;
} evparse;

static void ev_begin(evparse *e, dl_trace_rec *rec)
{
    memset(e, 0, sizeof *e);
    memset(rec, 0, sizeof *rec);
    rec->slot = -1;
    rec->vkind = -1;
    e->rec = rec;
}

/* The known scalar fields, in the order of the switch in set_field. */
enum {
    F_SEQ,
    F_T,
    F_KIND,
    F_D,
    F_OTHER,
    F_INDEX,
    F_SLOT,
    F_COUNT,
    F_NUM,
    F_VALUE,
    F_VKIND,
    F_NAME,
    F_NAME2,
    F_TEXT,
    F_FILE,
    F_LINE,
    F_STATE,
    F_IDS,
    F__COUNT
};
static const char *const field_names[F__COUNT] = {
    "seq",   "t",     "kind", "d",     "other", "index", "slot", "count", "num",
    "value", "vkind", "name", "name2", "text",  "file",  "line", "state", "ids"};

/* The F_* index of key, or -1. Writers put keys in field_names order, so
 * the search starts at from (just after the previous key) and wraps round:
 * a known key is usually found at the first or second try. */
static int field_index_from(const char *key, int from)
{
    for (int n = 0; n < F__COUNT; n++) {
        int k = from + n < F__COUNT ? from + n : from + n - F__COUNT;
        if (field_names[k][0] == key[0] && strcmp(field_names[k], key) == 0) return k;
    }
    return -1;
}

static int field_index(const char *key)
{
    return field_index_from(key, 0);
}

/* Apply one field (k: its F_* index, -1 when unknown). The rules for every
 * known field are here and only here. */
static int set_field(reader *r, evparse *e, int k, const char *key, const fval *v)
{
    dl_trace_rec *rec = e->rec;
    switch (k) {
    case F_SEQ:
        if (v->type != FV_INT || v->i < 0)
            return fail(r, DL_TRACE_EFORMAT, "field \"seq\" must be a non-negative integer");
        rec->seq = (uint64_t)v->i;
        e->have_seq = true;
        return 0;
    case F_T:
        return get_num(r, key, v, &rec->t);
    case F_KIND:
        e->have_kind = true;
        return get_str(r, key, v, &rec->kind_name);
    case F_D:
        return get_u32(r, key, v, &rec->d);
    case F_OTHER:
        return get_u32(r, key, v, &rec->other);
    case F_INDEX:
        return get_u32(r, key, v, &rec->index);
    case F_SLOT:
        if (v->type == FV_STR && strcmp(v->s, "callback") == 0)
            rec->slot = DL_SLOT_CALLBACK;
        else if (v->type == FV_STR && strcmp(v->s, "errback") == 0)
            rec->slot = DL_SLOT_ERRBACK;
        else
            return fail(r, DL_TRACE_EFORMAT, "field \"slot\" must be \"callback\" or \"errback\"");
        return 0;
    case F_COUNT:
        if (v->type != FV_INT)
            return fail(r, DL_TRACE_EFORMAT, "field \"count\" must be an integer, got %s",
                        fv_type_name(v));
        rec->count = v->i;
        rec->has |= DL_REC_COUNT;
        return 0;
    case F_NUM:
        rec->has |= DL_REC_NUM;
        return get_num(r, key, v, &rec->num);
    case F_VALUE:
        return get_str(r, key, v, &rec->value);
    case F_VKIND:
        return get_str(r, key, v, &e->vkind);
    case F_NAME:
        return get_str(r, key, v, &rec->name);
    case F_NAME2:
        return get_str(r, key, v, &rec->name2);
    case F_TEXT:
        return get_str(r, key, v, &rec->text);
    case F_FILE:
        return get_str(r, key, v, &rec->file);
    case F_LINE:
        if (v->type != FV_INT || v->i < 0 || v->i > INT32_MAX)
            return fail(r, DL_TRACE_EFORMAT, "field \"line\" must be a line number");
        rec->line = (int32_t)v->i;
        return 0;
    case F_STATE:
    case F_IDS:
        if (v->type != FV_OTHER || !json_is_object(v->j))
            return fail(r, DL_TRACE_EFORMAT, "field \"%s\" must be an object, got %s", key,
                        fv_type_name(v));
        *(k == F_STATE ? &e->state : &e->ids) = v->j;
        return 0;
    default:
        r->t->unknown_fields++;
        note_unknown(r->first_unknown_field, sizeof r->first_unknown_field,
                     &r->first_unknown_field_line, r->lineno, key);
        return 0;
    }
}

/* dl_event_kind_from_wire, through a small cache: consecutive lines often
 * share a kind and the table scan costs more than the rest of a line. */
static int kind_from_wire(reader *r, const char *name)
{
    unsigned h = 0;
    for (const char *p = name; *p; p++)
        h = h * 31 + (unsigned char)*p;
    h &= KIND_CACHE - 1;
    if (r->kind_cache[h] && strcmp(r->kind_cache[h], name) == 0) return r->kind_cache_val[h];
    int k = dl_event_kind_from_wire(name);
    if (k >= 0) {
        r->kind_cache[h] = dl_event_wire_name((dl_event_kind)k);
        r->kind_cache_val[h] = k;
    }
    return k;
}

static int ev_end(reader *r, evparse *e)
{
    dl_trace_rec *rec = e->rec;
    if (!e->have_kind) return fail(r, DL_TRACE_EFORMAT, "event has no \"kind\"");
    if (!e->have_seq) return fail(r, DL_TRACE_EFORMAT, "event has no \"seq\"");
    if (rec->value && e->vkind) rec->vkind = (int8_t)dl_trace_vkind_from_name(e->vkind);
    rec->kind = kind_from_wire(r, rec->kind_name);
    if (rec->kind < 0) {
        r->t->unknown_kinds++;
        note_unknown(r->first_unknown_kind, sizeof r->first_unknown_kind,
                     &r->first_unknown_kind_line, r->lineno, rec->kind_name);
    }
    if (e->state) return get_state(r, e->state, e->ids, rec);
    if (e->ids) return fail(r, DL_TRACE_EFORMAT, "field \"ids\" without \"state\"");
    return 0;
}

/* One event line (already a JSON object) into rec, borrowing from obj. */
static int parse_event(reader *r, json_t *obj, dl_trace_rec *rec)
{
    evparse e;
    ev_begin(&e, rec);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        fval f = fv_json(v);
        int rc = set_field(r, &e, field_index(key), key, &f);
        if (rc) return rc;
    }
    return ev_end(r, &e);
}

/* ---- the fast path ------------------------------------------------------ */

/* jansson builds a hash table and a node per value for every line, which
 * caps loading near 200k lines/s. Lines as the writer prints them are flat
 * objects of strings and numbers, so this strict recogniser handles those
 * and hands everything else -- nested values, \u escapes beyond ASCII,
 * unknown or repeated keys, anything malformed -- to jansson, which stays
 * the judge of every error message. It accepts only what jansson would
 * accept, with the same meaning. */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A string after its opening quote, decoded to *dst (NUL-terminated). */
static const char *fast_str(const char *p, const char *end, char **dst)
{
    char *o = *dst;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            *o++ = '\0';
            *dst = o;
            return p + 1;
        }
        if (c == '\\') {
            if (++p >= end) return NULL;
            switch (*p) {
            case '"':
            case '\\':
            case '/':
                *o++ = *p;
                break;
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u': {
                if (end - p < 5) return NULL;
                int v = 0;
                for (int k = 1; k <= 4; k++) {
                    int h = hexval(p[k]);
                    if (h < 0) return NULL;
                    v = v * 16 + h;
                }
                if (v == 0 || v >= 0x80) return NULL; /* NUL, or not ASCII: jansson decides */
                *o++ = (char)v;
                p += 4;
                break;
            }
            default:
                return NULL;
            }
            p++;
            continue;
        }
        if (c < 0x20) return NULL;
        if (c < 0x80) { /* plain ASCII: most of every trace */
            *o++ = (char)c;
            p++;
            continue;
        }
        size_t n = dl__utf8_seq((const unsigned char *)p, (size_t)(end - p));
        if (!n) return NULL;
        memcpy(o, p, n);
        o += n;
        p += n;
    }
    return NULL;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A JSON number (exact grammar). Integers of up to 18 digits are read here;
 * longer ones and reals that overflow are left to jansson. */
static const char *fast_num(const char *p, const char *end, fval *v)
{
    const char *q = p;
    bool real = false;
    if (q < end && *q == '-') q++;
    if (q >= end) return NULL;
    if (*q == '0')
        q++;
    else if (*q >= '1' && *q <= '9')
        while (q < end && is_digit(*q))
            q++;
    else
        return NULL;
    if (q < end && *q == '.') {
        q++;
        if (q >= end || !is_digit(*q)) return NULL;
        while (q < end && is_digit(*q))
            q++;
        real = true;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-')) q++;
        if (q >= end || !is_digit(*q)) return NULL;
        while (q < end && is_digit(*q))
            q++;
        real = true;
    }
    if (!real) {
        const char *d = p + (*p == '-');
        if (q - d > 18) return NULL;
        int64_t x = 0;
        for (; d < q; d++)
            x = x * 10 + (*d - '0');
        v->type = FV_INT;
        v->i = *p == '-' ? -x : x;
        return q;
    }
    char *e;
    errno = 0;
    v->type = FV_REAL;
    v->d = strtod(p, &e); /* follows LC_NUMERIC: a mismatch just falls back */
    if (e != q || errno == ERANGE) return NULL;
    return q;
}

/* Returns 1 when the line was handled (rec filled, or an error reported in
 * *rc), 0 when jansson must parse it. */
static int fast_event(reader *r, const char *line, size_t len, dl_trace_rec *rec, int *rc)
{
    struct {
        int key;
        fval v;
    } fields[F__COUNT];
    int nfields = 0;
    uint32_t seen = 0;
    if (len + 1 > r->fastcap) {
        char *b = realloc(r->fastbuf, len + 1);
        if (!b) return 0;
        r->fastbuf = b;
        r->fastcap = len + 1;
    }
    char *dst = r->fastbuf;
    const char *p = line, *end = line + len;
    p = skip_ws(p, end);
    if (p >= end || *p++ != '{') return 0;
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end || *p++ != '"') return 0;
        const char *key = dst;
        if (!(p = fast_str(p, end, &dst))) return 0;
        int k = field_index_from(key, nfields ? fields[nfields - 1].key + 1 : 0);
        if (k < 0 || k == F_STATE || k == F_IDS || (seen & (1u << k))) return 0;
        seen |= 1u << k;
        p = skip_ws(p, end);
        if (p >= end || *p++ != ':') return 0;
        p = skip_ws(p, end);
        if (p >= end) return 0;
        fval *v = &fields[nfields].v;
        fields[nfields++].key = k;
        if (*p == '"') {
            v->type = FV_STR;
            v->s = dst;
            if (!(p = fast_str(p + 1, end, &dst))) return 0;
        } else if (*p == 'n') {
            if (end - p < 4 || memcmp(p, "null", 4) != 0) return 0;
            v->type = FV_NULL;
            p += 4;
        } else if (!(p = fast_num(p, end, v))) {
            return 0;
        }
        p = skip_ws(p, end);
        if (p >= end) return 0;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p++ != '}') return 0;
        break;
    }
    if (skip_ws(p, end) != end) return 0;
    evparse e;
    ev_begin(&e, rec);
    for (int i = 0; i < nfields; i++) {
        *rc = set_field(r, &e, fields[i].key, field_names[fields[i].key], &fields[i].v);
        if (*rc) return 1;
    }
    *rc = ev_end(r, &e);
    return 1;
}

/* ---- header ----------------------------------------------------------- */

static int parse_header(reader *r, json_t *obj)
{
    json_t *format = json_object_get(obj, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), DL_TRACE_FORMAT) != 0)
        return fail(r, DL_TRACE_EFORMAT,
                    "not a deferlab trace: the first line must be a header with "
                    "\"format\": \"" DL_TRACE_FORMAT "\"%s%s%s",
                    json_is_string(format) ? " (found \"" : "",
                    json_is_string(format) ? json_string_value(format) : "",
                    json_is_string(format) ? "\")" : "");
    json_t *version = json_object_get(obj, "version");
    if (!json_is_integer(version) || json_integer_value(version) < 1)
        return fail(r, DL_TRACE_EFORMAT, "header: \"version\" must be a positive integer");
    if (json_integer_value(version) > DL_TRACE_VERSION)
        return fail(r, DL_TRACE_EVERSION,
                    "trace format version %lld is newer than this deferlab reads (up to %d); "
                    "upgrade deferlab to open it",
                    (long long)json_integer_value(version), DL_TRACE_VERSION);
    r->t->header.version = (int)json_integer_value(version);
    json_t *p = json_object_get(obj, "producer");
    if (!json_is_object(p)) return 0;
    static const char *const keys[] = {"source", "engine", "semantics", "clock"};
    const char **dst[] = {&r->t->header.source, &r->t->header.engine, &r->t->header.semantics,
                          &r->t->header.clock};
    for (int i = 0; i < 4; i++) {
        const char *s = json_string_value(json_object_get(p, keys[i]));
        if (s && dl_trace_strdup(r->t, s, dst[i])) return fail(r, DL_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- the file --------------------------------------------------------- */

/* True when nothing but blank lines is left in f. */
static bool rest_is_blank(FILE *f, char **line, size_t *cap)
{
    ssize_t n;
    while ((n = getline(line, cap, f)) >= 0)
        if (!is_blank(*line, (size_t)n)) return false;
    return true;
}

static int warnf(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int warnf(reader *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dl_trace_warn(r->t, msg) ? fail(r, DL_ENOMEM, "out of memory") : 0;
}

/* Append rec, noting an event that does not come after the one before it (a
 * spliced or hand-edited file): it is kept where the file puts it, and the
 * trace says so once. */
static int append(reader *r, const dl_trace_rec *rec)
{
    size_t len = r->t->len;
    if (len && rec->seq <= r->t->recs[len - 1].seq) {
        if (r->t->out_of_order++ == 0) {
            r->first_disorder_line = r->lineno;
            r->disorder_seq = rec->seq;
            r->disorder_prev = r->t->recs[len - 1].seq;
        }
    }
    return dl_trace_append(r->t, rec) ? fail(r, DL_ENOMEM, "out of memory") : 0;
}

int dl_trace_load_stream(FILE *f, const char *name, dl_trace **out, char *err, size_t errlen)
{
    reader r = {.name = name ? name : "<trace>", .err = err, .errlen = errlen};
    char *line = NULL;
    size_t cap = 0;
    json_t *obj = NULL;
    int rc = 0;
    *out = NULL;
    if (errlen) err[0] = '\0';
    r.t = dl_trace_new();
    if (!r.t) {
        rc = fail(&r, DL_ENOMEM, "out of memory");
        goto done;
    }
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        r.lineno++;
        if (r.lineno > 1 && is_blank(line, (size_t)n)) continue;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (r.lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            memmove(line, line + 3, len - 3); /* a byte-order mark some editors add */
            len -= 3;
        }
        if (r.lineno > 1) {
            dl_trace_rec rec;
            if (fast_event(&r, line, len, &rec, &rc)) {
                if (!rc) rc = append(&r, &rec);
                if (rc) goto done;
                continue;
            }
        }
        json_error_t jerr;
        obj = json_loadb(line, len, 0, &jerr);
        if (!obj) {
            if (r.lineno == 1) {
                rc = fail(&r, DL_TRACE_EFORMAT, "not a deferlab trace: the header is not JSON (%s)",
                          printable(jerr.text));
                goto done;
            }
            size_t bad = r.lineno;
            if (!rest_is_blank(f, &line, &cap)) {
                r.lineno = bad;
                rc = fail(&r, DL_TRACE_EFORMAT, "not valid JSON (%s, column %d)",
                          printable(jerr.text), jerr.column);
                goto done;
            }
            r.t->skipped_lines++;
            r.lineno = bad;
            rc = warnf(&r, "%s:%zu: skipped a truncated last line (the writer stopped mid-line)",
                       r.name, bad);
            if (rc) goto done;
            break;
        }
        if (!json_is_object(obj)) {
            rc = fail(&r, DL_TRACE_EFORMAT, "expected a JSON object, got %s", json_type_name(obj));
            goto done;
        }
        if (r.lineno == 1) {
            rc = parse_header(&r, obj);
        } else {
            dl_trace_rec rec;
            rc = parse_event(&r, obj, &rec);
            if (!rc) rc = append(&r, &rec);
        }
        json_decref(obj);
        obj = NULL;
        if (rc) goto done;
    }
    if (ferror(f)) {
        rc = fail(&r, DL_TRACE_EIO, "read error: %s", strerror(errno));
        goto done;
    }
    if (r.lineno == 0) {
        r.lineno = 1;
        rc = fail(&r, DL_TRACE_EFORMAT, "empty file: a trace starts with a header line");
        goto done;
    }
    if (r.first_unknown_kind_line &&
        (rc = warnf(&r, "%s:%zu: kept %zu event(s) of unknown kinds (first: \"%s\")", r.name,
                    r.first_unknown_kind_line, r.t->unknown_kinds, r.first_unknown_kind)))
        goto done;
    if (r.first_unknown_field_line &&
        (rc = warnf(&r, "%s:%zu: skipped %zu unknown field(s) (first: \"%s\")", r.name,
                    r.first_unknown_field_line, r.t->unknown_fields, r.first_unknown_field)))
        goto done;
    if (r.first_disorder_line &&
        (rc = warnf(&r,
                    "%s:%zu: %zu event(s) out of order (first: seq %llu after seq %llu); "
                    "the steps are shown in file order",
                    r.name, r.first_disorder_line, r.t->out_of_order,
                    (unsigned long long)r.disorder_seq, (unsigned long long)r.disorder_prev)))
        goto done;
    *out = r.t;
    r.t = NULL;
done:
    json_decref(obj);
    free(line);
    free(r.kv);
    free(r.ids);
    free(r.fastbuf);
    dl_trace_free(r.t);
    return rc;
}

int dl_trace_load(const char *path, dl_trace **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errlen) snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return DL_TRACE_EIO;
    }
    int rc = dl_trace_load_stream(f, path, out, err, errlen);
    fclose(f);
    return rc;
}
