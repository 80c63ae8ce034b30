/* ddict.c - DeferredDict, from public Deferred operations only.
 *
 * One entry per key ever used (looked up or set), in first-use order; a
 * linear search is plenty for the sizes a learner watches.
 */
#include "ddict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    dl_value key;   /* DL_INT or DL_STR (owned) */
    dl_value value; /* owned; meaningful when known */
    bool known;
    dl_deferred **waiting; /* one reference each, FIFO */
    size_t nwaiting, capwaiting;
} entry;

struct dl_ddict {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    entry *entries;
    size_t len, cap;
};

static const dl_class ddict_class;

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

/* The canonical form of a key, or DL_NONE when it cannot be one. */
static dl_value norm_key(dl_value k)
{
    if (k.kind == DL_INT || k.kind == DL_STR) return k;
    if (k.kind == DL_NUM && isfinite(k.u.n) && floor(k.u.n) == k.u.n &&
        fabs(k.u.n) < 9007199254740992.0)
        return dl_int((int64_t)k.u.n);
    return dl_none();
}

static bool key_eq(dl_value a, dl_value b)
{
    if (a.kind != b.kind) return false;
    if (a.kind == DL_INT) return a.u.i == b.u.i;
    return strcmp(dl_str_cstr(a), dl_str_cstr(b)) == 0;
}

static entry *find(const dl_ddict *dd, dl_value key)
{
    for (size_t i = 0; i < dd->len; i++)
        if (key_eq(dd->entries[i].key, key)) return &dd->entries[i];
    return NULL;
}

static int bad_key(dl_ddict *dd, dl_value key)
{
    char r[96];
    dl_repr(key, r, sizeof r);
    return dl__raisef(dd->eng, DL_ETYPE, &dl_type_TypeError,
                      "DeferredDict keys must be strings or integers, not %s", r);
}

/* The entry for key, created when missing; NULL on OOM. */
static entry *find_or_add(dl_ddict *dd, dl_value key)
{
    entry *e = find(dd, key);
    if (e) return e;
    if (dd->len == dd->cap) {
        size_t cap = dd->cap ? dd->cap * 2 : 8;
        entry *n = realloc(dd->entries, cap * sizeof *n);
        if (!n) return NULL;
        dd->entries = n;
        dd->cap = cap;
    }
    e = &dd->entries[dd->len++];
    memset(e, 0, sizeof *e);
    e->key = dl_retain(key);
    e->value = dl_none();
    return e;
}

/* ---- STATE ---------------------------------------------------------------- */

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void emit_state(dl_ddict *dd)
{
    if (!dl_engine_wants(dd->eng, DL_EV_STATE)) return;
    dl_value items = dl_list_new(dd->len), waiting = dl_list_new(4);
    dl_value snap = dl_list_new(2);
    if (items.kind != DL_LIST || waiting.kind != DL_LIST || snap.kind != DL_LIST) goto done;
    for (size_t i = 0; i < dd->len; i++) {
        entry *e = &dd->entries[i];
        if (e->known) dl_list_push(items, dl_pair_new(dl_retain(e->key), dl_retain(e->value)));
        if (!e->nwaiting) continue;
        dl_value ds = dl_list_new(e->nwaiting);
        for (size_t j = 0; ds.kind == DL_LIST && j < e->nwaiting; j++)
            dl_list_push(ds, dl_deferred_value(e->waiting[j]));
        dl_list_push(waiting, dl_pair_new(dl_retain(e->key), ds));
    }
    kv(snap, "items", items);
    kv(snap, "waiting", waiting);
    items = waiting = dl_none();
    dl_event ev = {.kind = DL_EV_STATE, .d = dd->hdr.id, .text = "DeferredDict", .value = snap};
    dl_engine_emit(dd->eng, &ev);
done:
    dl_release(items);
    dl_release(waiting);
    dl_release(snap);
}

/* ---- the object ------------------------------------------------------------ */

static void free_waiting(entry *e)
{
    for (size_t j = 0; j < e->nwaiting; j++)
        dl_deferred_release(e->waiting[j]);
    free(e->waiting);
    e->waiting = NULL;
    e->nwaiting = e->capwaiting = 0;
}

static void ddict_destroy(dl_obj *o)
{
    dl_ddict *dd = (dl_ddict *)o;
    for (size_t i = 0; i < dd->len; i++) {
        dl_release(dd->entries[i].key);
        dl_release(dd->entries[i].value);
        free_waiting(&dd->entries[i]);
    }
    free(dd->entries);
    free(dd);
}

static int ddict_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_ddict *dd = (const dl_ddict *)o;
    return snprintf(buf, n, "<DeferredDict #%u keys=%zu>", (unsigned)dd->hdr.id, dl_ddict_len(dd));
}

static const dl_class ddict_class = {"DeferredDict", ddict_destroy, ddict_repr};

dl_ddict *dl_ddict_new(dl_engine *eng)
{
    dl_ddict *dd = calloc(1, sizeof *dd);
    if (!dd) {
        oom(eng);
        return NULL;
    }
    dl_obj_init(&dd->hdr, &ddict_class);
    dd->hdr.id = dl_engine_next_obj_id(eng);
    dd->eng = eng;
    emit_state(dd);
    return dd;
}

/* The canceller of a waiting lookup: it stops waiting. */
static int cancel_get_call(void *ud, dl_value arg, dl_value *out)
{
    dl_ddict *dd = ud;
    dl_deferred *d = dl_deferred_of(arg);
    *out = dl_none();
    for (size_t i = 0; i < dd->len; i++) {
        entry *e = &dd->entries[i];
        for (size_t j = 0; j < e->nwaiting; j++) {
            if (e->waiting[j] != d) continue;
            memmove(e->waiting + j, e->waiting + j + 1, (e->nwaiting - j - 1) * sizeof *e->waiting);
            e->nwaiting--;
            emit_state(dd);
            dl_deferred_release(d);
            return 0;
        }
    }
    return 0;
}

static void ddict_ref_release(void *ud)
{
    dl_obj_release(ud);
}

static const dl_fn_class cancel_get_class = {cancel_get_call, ddict_ref_release, NULL,
                                             "_cancelGet"};

int dl_ddict_get(dl_ddict *dd, dl_value key, dl_deferred **out)
{
    *out = NULL;
    dl_value k = norm_key(key);
    if (k.kind == DL_NONE) return bad_key(dd, key);
    entry *e = find(dd, k);
    if (e && e->known) {
        *out = dl_succeed(dd->eng, e->value);
        return *out ? 0 : oom(dd->eng);
    }
    e = find_or_add(dd, k);
    if (!e) return oom(dd->eng);
    if (e->nwaiting == e->capwaiting) {
        size_t cap = e->capwaiting ? e->capwaiting * 2 : 2;
        dl_deferred **n = realloc(e->waiting, cap * sizeof *n);
        if (!n) return oom(dd->eng);
        e->waiting = n;
        e->capwaiting = cap;
    }
    dl_obj_retain(dd);
    dl_deferred *d = dl_deferred_new(dd->eng, dl_fn_make(&cancel_get_class, dd));
    if (!d) return oom(dd->eng);
    e->waiting[e->nwaiting++] = dl_deferred_retain(d);
    emit_state(dd);
    *out = d;
    return 0;
}

int dl_ddict_set(dl_ddict *dd, dl_value key, dl_value value)
{
    dl_value k = norm_key(key);
    if (k.kind == DL_NONE) return bad_key(dd, key);
    entry *e = find_or_add(dd, k);
    if (!e) return oom(dd->eng);
    dl_value old = e->value;
    e->value = dl_retain(value);
    e->known = true;
    dl_release(old);
    /* Take the waiters out first: callbacks may use the dict again (and
     * move the entries array). */
    dl_deferred **waiting = e->waiting;
    size_t n = e->nwaiting;
    e->waiting = NULL;
    e->nwaiting = e->capwaiting = 0;
    emit_state(dd);
    int rc = 0;
    dl_obj_retain(dd);
    for (size_t i = 0; i < n; i++) {
        int r = dl_deferred_callback(waiting[i], value);
        if (r && !rc) rc = r;
        dl_deferred_release(waiting[i]);
    }
    dl_obj_release(dd);
    free(waiting);
    return rc;
}

bool dl_ddict_has(const dl_ddict *dd, dl_value key)
{
    dl_value k = norm_key(key);
    if (k.kind == DL_NONE) return false;
    entry *e = find(dd, k);
    return e && e->known;
}

dl_value dl_ddict_lookup(const dl_ddict *dd, dl_value key)
{
    dl_value k = norm_key(key);
    if (k.kind == DL_NONE) return dl_none();
    entry *e = find(dd, k);
    return e && e->known ? e->value : dl_none();
}

size_t dl_ddict_len(const dl_ddict *dd)
{
    size_t n = 0;
    for (size_t i = 0; i < dd->len; i++)
        n += dd->entries[i].known;
    return n;
}

size_t dl_ddict_waiting(const dl_ddict *dd, dl_value key)
{
    dl_value k = norm_key(key);
    if (k.kind == DL_NONE) return 0;
    entry *e = find(dd, k);
    return e ? e->nwaiting : 0;
}

dl_ddict *dl_ddict_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &ddict_class ? (dl_ddict *)v.u.o : NULL;
}

dl_value dl_ddict_value(dl_ddict *dd)
{
    dl_obj_retain(dd);
    return dl_obj_value(DL_OBJ, dd);
}
