/* model.c - the fold of trace records into viewable state, with snapshots.
 *
 * State is made of persistent vectors: an array of fixed-size chunks, each
 * chunk reference-counted. Copying a vector (a snapshot) copies only the
 * chunk pointers; writing into a shared chunk first clones that chunk. The
 * Deferreds inside the state are reference-counted too and cloned on first
 * write after a snapshot. So a snapshot costs O(entries / CHUNK) pointers
 * plus whatever changes afterwards -- never a deep copy of the whole state.
 *
 * Ids map to slots through maps that live beside the log, not in the state:
 * a slot is handed out the first time the fold meets an id, and because the
 * fold always runs through the log in order, an id new to the state at
 * event i always gets the next free slot (slot == vector length).
 */
#include "model.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ===================================================================== */
/* Persistent chunked vectors                                            */
/* ===================================================================== */

typedef struct pchunk {
    uint32_t refs;
    _Alignas(8) unsigned char data[];
} pchunk;

/* Element behaviour: size, chunk size (1 << shift elements: small for the
 * many short vectors such as a Deferred's pairs, larger for long ones), and
 * for elements that hold references, how to take and drop one (both get a
 * pointer to the element, which may be 0). */
typedef struct pvops {
    size_t esz;
    unsigned shift;
    void (*retain)(void *e);
    void (*release)(void *e);
} pvops;

typedef struct pvec {
    pchunk **top;
    uint32_t len, topcap;
} pvec;

static size_t pv_chunks(const pvec *v, const pvops *o)
{
    return (v->len + (1u << o->shift) - 1) >> o->shift;
}

static const void *pv_get(const pvec *v, const pvops *o, size_t i)
{
    return v->top[i >> o->shift]->data + (i & ((1u << o->shift) - 1)) * o->esz;
}

static void chunk_release(pchunk *c, const pvops *o)
{
    if (--c->refs) return;
    if (o->release)
        for (size_t j = 0; j < (1u << o->shift); j++)
            o->release(c->data + j * o->esz);
    free(c);
}

static void pv_free(pvec *v, const pvops *o)
{
    size_t n = pv_chunks(v, o);
    for (size_t k = 0; k < n; k++)
        chunk_release(v->top[k], o);
    free(v->top);
    memset(v, 0, sizeof *v);
}

/* dst becomes a copy of src sharing its chunks. dst must be empty. */
static bool pv_copy(pvec *dst, const pvec *src, const pvops *o)
{
    size_t n = pv_chunks(src, o);
    memset(dst, 0, sizeof *dst);
    if (!n) return true;
    dst->top = malloc(n * sizeof *dst->top);
    if (!dst->top) return false;
    memcpy(dst->top, src->top, n * sizeof *dst->top);
    for (size_t k = 0; k < n; k++)
        dst->top[k]->refs++;
    dst->len = src->len;
    dst->topcap = (uint32_t)n;
    return true;
}

/* A writable pointer to element i, cloning its chunk if it is shared. */
static void *pv_mut(pvec *v, const pvops *o, size_t i)
{
    size_t per = 1u << o->shift;
    pchunk **slot = &v->top[i >> o->shift];
    pchunk *c = *slot;
    if (c->refs > 1) {
        pchunk *n = malloc(sizeof *n + per * o->esz);
        if (!n) return NULL;
        n->refs = 1;
        memcpy(n->data, c->data, per * o->esz);
        if (o->retain)
            for (size_t j = 0; j < per; j++)
                o->retain(n->data + j * o->esz);
        c->refs--;
        *slot = c = n;
    }
    return c->data + (i & (per - 1)) * o->esz;
}

/* Append a zeroed element; returns it writable, or NULL on OOM. */
static void *pv_push(pvec *v, const pvops *o)
{
    size_t per = 1u << o->shift;
    if ((v->len & (per - 1)) == 0) {
        size_t k = v->len >> o->shift;
        if (k == v->topcap) {
            uint32_t cap = v->topcap ? v->topcap * 2 : 4;
            pchunk **t = realloc(v->top, cap * sizeof *t);
            if (!t) return NULL;
            v->top = t;
            v->topcap = cap;
        }
        pchunk *c = calloc(1, sizeof *c + per * o->esz);
        if (!c) return NULL;
        c->refs = 1;
        v->top[k] = c;
    }
    void *e = pv_mut(v, o, v->len);
    if (e) v->len++;
    return e;
}

/* ===================================================================== */
/* Id -> slot maps (open addressing; id 0 never stored)                  */
/* ===================================================================== */

typedef struct idmap {
    uint32_t *keys, *vals;
    size_t cap, len;
} idmap;

static size_t id_hash(uint32_t id, size_t cap)
{
    return (size_t)((id * 2654435761u) & (cap - 1));
}

static bool idmap_find(const idmap *m, uint32_t id, uint32_t *slot)
{
    if (!m->cap) return false;
    for (size_t h = id_hash(id, m->cap);; h = (h + 1) & (m->cap - 1)) {
        if (m->keys[h] == id) {
            *slot = m->vals[h];
            return true;
        }
        if (m->keys[h] == 0) return false;
    }
}

/* The slot of id, handing out the next one when id is new. */
static bool idmap_slot(idmap *m, uint32_t id, uint32_t *slot)
{
    if (idmap_find(m, id, slot)) return true;
    if ((m->len + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        uint32_t *k = calloc(cap, sizeof *k), *v = calloc(cap, sizeof *v);
        if (!k || !v) {
            free(k);
            free(v);
            return false;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i]) continue;
            size_t h = id_hash(m->keys[i], cap);
            while (k[h])
                h = (h + 1) & (cap - 1);
            k[h] = m->keys[i];
            v[h] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = k;
        m->vals = v;
        m->cap = cap;
    }
    size_t h = id_hash(id, m->cap);
    while (m->keys[h])
        h = (h + 1) & (m->cap - 1);
    m->keys[h] = id;
    m->vals[h] = (uint32_t)m->len;
    *slot = (uint32_t)m->len++;
    return true;
}

static void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
}

/* ===================================================================== */
/* Deferreds in the state                                                */
/* ===================================================================== */

typedef struct mdef {
    uint32_t refs;
    uint32_t next; /* position of the next pair to run */
    dl_model_deferred pub;
    pvec pairs;   /* dl_model_pair */
    pvec chained; /* uint32_t */
} mdef;

static const pvops pair_ops = {sizeof(dl_model_pair), 2, NULL, NULL};
static const pvops id_ops = {sizeof(uint32_t), 1, NULL, NULL};

static const mdef *mdef_of(const dl_model_deferred *d)
{
    return (const mdef *)(const void *)((const char *)d - offsetof(mdef, pub));
}

static void mdef_release(mdef *d)
{
    if (!d || --d->refs) return;
    pv_free(&d->pairs, &pair_ops);
    pv_free(&d->chained, &id_ops);
    free(d);
}

static void defptr_retain(void *e)
{
    mdef *d = *(mdef **)e;
    if (d) d->refs++;
}

static void defptr_release(void *e)
{
    mdef_release(*(mdef **)e);
}

static const pvops def_ops = {sizeof(mdef *), 5, defptr_retain, defptr_release};
static const pvops struct_ops = {sizeof(dl_model_structure), 3, NULL, NULL};
static const pvops call_ops = {sizeof(dl_model_call), 3, NULL, NULL};

static mdef *mdef_clone(const mdef *src)
{
    mdef *d = malloc(sizeof *d);
    if (!d) return NULL;
    *d = *src;
    d->refs = 1;
    if (!pv_copy(&d->pairs, &src->pairs, &pair_ops)) {
        free(d);
        return NULL;
    }
    if (!pv_copy(&d->chained, &src->chained, &id_ops)) {
        pv_free(&d->pairs, &pair_ops);
        free(d);
        return NULL;
    }
    return d;
}

/* ===================================================================== */
/* State and model                                                       */
/* ===================================================================== */

typedef struct mstate {
    pvec defs;    /* mdef * */
    pvec structs; /* dl_model_structure */
    pvec calls;   /* dl_model_call */
    double clock;
    int64_t cell, cell_at; /* the latest CELL event: its number and index (0, -1: none) */
} mstate;

static void ms_free(mstate *s)
{
    pv_free(&s->defs, &def_ops);
    pv_free(&s->structs, &struct_ops);
    pv_free(&s->calls, &call_ops);
    s->clock = 0;
    s->cell = 0;
    s->cell_at = -1;
}

static bool ms_copy(mstate *dst, const mstate *src)
{
    memset(dst, 0, sizeof *dst);
    if (!pv_copy(&dst->defs, &src->defs, &def_ops) ||
        !pv_copy(&dst->structs, &src->structs, &struct_ops) ||
        !pv_copy(&dst->calls, &src->calls, &call_ops)) {
        ms_free(dst);
        return false;
    }
    dst->clock = src->clock;
    dst->cell = src->cell;
    dst->cell_at = src->cell_at;
    return true;
}

typedef struct idxlist {
    int64_t *at;
    size_t len, cap;
} idxlist;

struct dl_model {
    dl_trace *log;
    idmap defmap, structmap, callmap;
    mstate cur;
    int64_t cursor;
    mstate *snaps; /* snaps[k]: the state after k * DL_MODEL_SNAPSHOT_EVERY events */
    size_t nsnaps, snapcap;
    idxlist outputs, notes; /* event indices of OUTPUT / NOTE records in the log */
    dl_trace_scratch scratch;
    dl_trace_writer *writer;
    int err;
};

static bool idx_push(idxlist *l, int64_t i)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int64_t *a = realloc(l->at, cap * sizeof *a);
        if (!a) return false;
        l->at = a;
        l->cap = cap;
    }
    l->at[l->len++] = i;
    return true;
}

/* How many entries are <= cursor. */
static size_t idx_upto(const idxlist *l, int64_t cursor)
{
    size_t lo = 0, hi = l->len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->at[mid] <= cursor)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Index a record that just entered the log. */
static int log_index(dl_model *m, size_t i)
{
    const dl_trace_rec *r = &m->log->recs[i];
    if (r->kind == DL_EV_OUTPUT && !idx_push(&m->outputs, (int64_t)i)) return DL_ENOMEM;
    if (r->kind == DL_EV_NOTE && !idx_push(&m->notes, (int64_t)i)) return DL_ENOMEM;
    return 0;
}

static dl_model *model_init(dl_trace *log)
{
    dl_model *m = calloc(1, sizeof *m);
    if (!m) goto fail;
    m->log = log;
    m->cursor = -1;
    m->snaps = calloc(16, sizeof *m->snaps);
    if (!m->snaps) goto fail;
    m->snapcap = 16;
    m->nsnaps = 1; /* snaps[0]: the empty state */
    m->cur.cell_at = m->snaps[0].cell_at = -1;
    for (size_t i = 0; i < log->len; i++)
        if (log_index(m, i)) goto fail;
    return m;
fail:
    if (m) {
        m->log = NULL;
        dl_model_free(m);
    }
    dl_trace_free(log);
    return NULL;
}

dl_model *dl_model_new(void)
{
    dl_trace *t = dl_trace_new();
    return t ? model_init(t) : NULL;
}

dl_model *dl_model_new_from_trace(dl_trace *t)
{
    return t ? model_init(t) : NULL;
}

void dl_model_free(dl_model *m)
{
    if (!m) return;
    ms_free(&m->cur);
    for (size_t k = 0; k < m->nsnaps; k++)
        ms_free(&m->snaps[k]);
    free(m->snaps);
    idmap_free(&m->defmap);
    idmap_free(&m->structmap);
    idmap_free(&m->callmap);
    free(m->outputs.at);
    free(m->notes.at);
    dl_trace_scratch_free(&m->scratch);
    dl_trace_free(m->log);
    free(m);
}

/* ===================================================================== */
/* The fold                                                              */
/* ===================================================================== */

/* The Deferred id, writable in the current state (created on first sight,
 * cloned if a snapshot shares it). NULL for id 0 or on OOM (*oom set). */
static mdef *def_mut(dl_model *m, uint32_t id, int64_t i, bool *oom)
{
    uint32_t slot;
    if (!id) return NULL;
    if (!idmap_slot(&m->defmap, id, &slot)) goto oom;
    mdef **pp;
    if (slot == m->cur.defs.len) {
        pp = pv_push(&m->cur.defs, &def_ops);
        if (!pp) goto oom;
        mdef *d = calloc(1, sizeof *d);
        if (!d) goto oom;
        d->refs = 1;
        d->pub.id = id;
        d->pub.cls = "Deferred";
        d->pub.created_at = i;
        d->pub.created_t = m->log->recs[i].t;
        d->pub.result_kind = -1;
        *pp = d;
    } else {
        assert(slot < m->cur.defs.len);
        pp = pv_mut(&m->cur.defs, &def_ops, slot);
        if (!pp) goto oom;
        if ((*pp)->refs > 1) {
            mdef *c = mdef_clone(*pp);
            if (!c) goto oom;
            (*pp)->refs--;
            *pp = c;
        }
    }
    (*pp)->pub.last_event = i;
    return *pp;
oom:
    *oom = true;
    return NULL;
}

/* The pair with this 1-based index, writable. Pairs are added in index
 * order, so it is normally at position index - 1. */
static dl_model_pair *pair_mut(mdef *d, uint32_t index, bool *oom)
{
    size_t pos = index ? index - 1 : 0;
    if (pos >= d->pairs.len ||
        ((const dl_model_pair *)pv_get(&d->pairs, &pair_ops, pos))->index != index) {
        for (pos = 0; pos < d->pairs.len; pos++)
            if (((const dl_model_pair *)pv_get(&d->pairs, &pair_ops, pos))->index == index) break;
        if (pos == d->pairs.len) return NULL; /* a trace that starts mid-chain */
    }
    dl_model_pair *p = pv_mut(&d->pairs, &pair_ops, pos);
    if (!p)
        *oom = true;
    else if (pos + 1 > d->next)
        d->next = (uint32_t)(pos + 1);
    return p;
}

static void set_result(mdef *d, const dl_trace_rec *r)
{
    d->pub.result = r->value ? r->value : "nil";
    d->pub.result_kind = r->value ? r->vkind : DL_NONE;
    d->pub.state = r->vkind == DL_FAILURE ? DL_MD_FAILURE : DL_MD_SUCCESS;
}

/* After a hand-over or a steal, the giving Deferred's result is None. */
static void set_given_away(mdef *o)
{
    o->pub.result = "nil";
    o->pub.result_kind = DL_NONE;
    o->pub.state = DL_MD_SUCCESS;
}

/* other handed its result to the waiting d: mark other's continuation. */
static void mark_continuation(mdef *o, const mdef *d, const dl_trace_rec *r, bool *oom)
{
    size_t pos = o->next;
    const dl_model_pair *p = pos < o->pairs.len ? pv_get(&o->pairs, &pair_ops, pos) : NULL;
    if (!p || p->cont != d->pub.id || p->status != DL_MP_PENDING) {
        for (pos = 0; pos < o->pairs.len; pos++) {
            p = pv_get(&o->pairs, &pair_ops, pos);
            if (p->cont == d->pub.id && p->status == DL_MP_PENDING) break;
        }
        if (pos == o->pairs.len) return;
    }
    dl_model_pair *w = pv_mut(&o->pairs, &pair_ops, pos);
    if (!w) {
        *oom = true;
        return;
    }
    w->status = DL_MP_RAN;
    w->slot = r->vkind == DL_FAILURE ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK;
    w->input = w->output = r->value;
    w->in_kind = w->out_kind = r->vkind;
    o->next = (uint32_t)(pos + 1);
}

static void *entry_mut(pvec *v, const pvops *ops, idmap *map, uint32_t id, bool *fresh, bool *oom)
{
    uint32_t slot;
    void *e = NULL;
    *fresh = false;
    if (!idmap_slot(map, id, &slot)) goto oom;
    if (slot == v->len) {
        *fresh = true;
        e = pv_push(v, ops);
    } else {
        assert(slot < v->len);
        e = pv_mut(v, ops, slot);
    }
    if (!e) goto oom;
    return e;
oom:
    *oom = true;
    return NULL;
}

static void apply_state(dl_model *m, const dl_trace_rec *r, int64_t i, bool *oom)
{
    bool fresh;
    dl_model_structure *s =
        entry_mut(&m->cur.structs, &struct_ops, &m->structmap, r->d, &fresh, oom);
    if (!s) return;
    if (fresh) {
        s->id = r->d;
        s->created_at = i;
    }
    s->cls = r->text;
    s->label = r->name;
    s->kv = r->state;
    s->nkv = r->nstate;
    s->changed_at = i;
}

static void apply_call(dl_model *m, const dl_trace_rec *r, int64_t i, bool *oom)
{
    bool fresh;
    if (!r->other) return;
    if (r->kind != DL_EV_CALL_SCHEDULED) {
        uint32_t slot; /* an unknown call (the trace began later): nothing to update */
        if (!idmap_find(&m->callmap, r->other, &slot) || slot >= m->cur.calls.len) return;
    }
    dl_model_call *c = entry_mut(&m->cur.calls, &call_ops, &m->callmap, r->other, &fresh, oom);
    if (!c) return;
    switch (r->kind) {
    case DL_EV_CALL_SCHEDULED:
        c->id = r->other;
        c->clock = r->d;
        c->time = r->num;
        c->name = r->name;
        c->status = DL_MC_SCHEDULED;
        c->scheduled_at = i;
        break;
    case DL_EV_CALL_RAN:
        c->status = DL_MC_RAN;
        break;
    case DL_EV_CALL_CANCELLED:
        c->status = DL_MC_CANCELLED;
        break;
    default: /* DL_EV_CALL_MOVED */
        c->time = r->num;
        break;
    }
}

/* Fold record i into the current state. */
static int apply(dl_model *m, int64_t i)
{
    const dl_trace_rec *r = &m->log->recs[i];
    bool oom = false;
    mdef *d = NULL, *o = NULL;
    dl_model_pair *p;
    switch (r->kind) {
    case DL_EV_CREATED:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        if (r->text) d->pub.cls = r->text;
        d->pub.created_at = i;
        d->pub.created_t = r->t;
        break;
    case DL_EV_LABEL:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.label = r->text;
        break;
    case DL_EV_ADDED:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        if (!(p = pv_push(&d->pairs, &pair_ops))) {
            oom = true;
            break;
        }
        p->index = r->index;
        p->slot = -1;
        p->in_kind = p->out_kind = -1;
        if (r->other) { /* a continuation: both slots hand over to r->other */
            p->cont = r->other;
            p->cb = p->eb = r->name ? r->name : "continue";
        } else {
            p->cb = r->name ? r->name : "passthru";
            p->eb = r->name2 ? r->name2 : "passthru";
        }
        break;
    case DL_EV_FIRED:
        if ((d = def_mut(m, r->d, i, &oom))) set_result(d, r);
        break;
    case DL_EV_CALL:
    case DL_EV_RETURN:
    case DL_EV_PASS:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        if (r->kind == DL_EV_RETURN) {
            set_result(d, r);
            d->pub.running = 0;
        } else if (r->kind == DL_EV_CALL) {
            d->pub.running = r->index;
        }
        if (!(p = pair_mut(d, r->index, &oom))) break;
        p->slot = r->slot;
        if (r->kind == DL_EV_CALL) {
            p->status = DL_MP_RUNNING;
            p->input = r->value;
            p->in_kind = r->vkind;
        } else if (r->kind == DL_EV_RETURN) {
            p->status = DL_MP_RAN;
            p->output = r->value;
            p->out_kind = r->vkind;
            p->raised = r->count != 0;
        } else {
            p->status = DL_MP_PASSED;
            p->input = p->output = r->value;
            p->in_kind = p->out_kind = r->vkind;
        }
        break;
    case DL_EV_PAUSED:
    case DL_EV_UNPAUSED:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.paused = (int32_t)r->count;
        break;
    case DL_EV_WAITING:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        d->pub.waiting_on = r->other;
        d->pub.state = DL_MD_WAITING;
        break;
    case DL_EV_HANDOFF:
    case DL_EV_STOLEN:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        d->pub.waiting_on = 0;
        set_result(d, r);
        if (!(o = def_mut(m, r->other, i, &oom))) break;
        set_given_away(o);
        if (r->kind == DL_EV_HANDOFF) mark_continuation(o, d, r, &oom);
        break;
    case DL_EV_CHAINED:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        if (r->other) {
            uint32_t *slot = pv_push(&d->chained, &id_ops);
            if (!slot) {
                oom = true;
                break;
            }
            *slot = r->other;
        }
        if ((o = def_mut(m, r->other, i, &oom)) && !o->pub.chained_from) o->pub.chained_from = r->d;
        break;
    case DL_EV_CANCEL:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.cancelled = true;
        break;
    case DL_EV_CANCELLER:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.canceller = r->name;
        break;
    case DL_EV_CANCELLER_RAISED:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.notice = r->value;
        break;
    case DL_EV_SUPPRESSED:
        if ((d = def_mut(m, r->d, i, &oom)))
            d->pub.notice = "a late fire after cancel() was swallowed";
        break;
    case DL_EV_ALREADY_CALLED:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.notice = "AlreadyCalledError";
        break;
    case DL_EV_REFUSED:
    case DL_EV_WARNING:
        if ((d = def_mut(m, r->d, i, &oom))) d->pub.notice = r->text;
        break;
    case DL_EV_UNHANDLED:
        if (!(d = def_mut(m, r->d, i, &oom))) break;
        d->pub.unhandled = true;
        d->pub.unhandled_repr = r->value;
        break;
    case DL_EV_STATE:
        if (r->d) apply_state(m, r, i, &oom);
        break;
    case DL_EV_CLOCK_ADVANCE:
        m->cur.clock = r->num;
        break;
    case DL_EV_CELL:
        m->cur.cell = r->count;
        m->cur.cell_at = i;
        break;
    case DL_EV_CALL_SCHEDULED:
    case DL_EV_CALL_RAN:
    case DL_EV_CALL_CANCELLED:
    case DL_EV_CALL_MOVED:
        apply_call(m, r, i, &oom);
        break;
    default: /* NOTE and OUTPUT are indexed in the log; unknown kinds change nothing */
        break;
    }
    return oom ? DL_ENOMEM : 0;
}

/* Fold forward to just after event target, snapshotting on the way. */
static int fold_to(dl_model *m, int64_t target)
{
    while (m->cursor < target) {
        int64_t i = m->cursor + 1;
        int rc = apply(m, i);
        if (rc) return rc;
        m->cursor = i;
        uint64_t pos = (uint64_t)i + 1;
        if (pos % DL_MODEL_SNAPSHOT_EVERY == 0 && pos / DL_MODEL_SNAPSHOT_EVERY == m->nsnaps) {
            if (m->nsnaps == m->snapcap) {
                mstate *s = realloc(m->snaps, m->snapcap * 2 * sizeof *s);
                if (!s) return DL_ENOMEM;
                m->snaps = s;
                m->snapcap *= 2;
            }
            if (!ms_copy(&m->snaps[m->nsnaps], &m->cur)) return DL_ENOMEM;
            m->nsnaps++;
        }
    }
    return 0;
}

int dl_model_seek(dl_model *m, int64_t i)
{
    if (i < -1 || i >= (int64_t)m->log->len) return DL_EINVAL;
    int64_t pos = i + 1, have = m->cursor + 1;
    size_t k = (size_t)pos / DL_MODEL_SNAPSHOT_EVERY;
    if (k >= m->nsnaps) k = m->nsnaps - 1;
    int64_t snap_pos = (int64_t)k * DL_MODEL_SNAPSHOT_EVERY;
    if (pos < have || snap_pos > have) {
        mstate copy;
        if (!ms_copy(&copy, &m->snaps[k])) return DL_ENOMEM;
        ms_free(&m->cur);
        m->cur = copy;
        m->cursor = snap_pos - 1;
    }
    return fold_to(m, i);
}

int64_t dl_model_cursor(const dl_model *m)
{
    return m->cursor;
}

int dl_model_feed(dl_model *m, const dl_trace_rec *rec)
{
    bool following = m->cursor + 1 == (int64_t)m->log->len;
    int rc = dl_trace_append(m->log, rec);
    if (rc) return rc;
    rc = log_index(m, m->log->len - 1);
    if (rc) {
        m->log->len--;
        return rc;
    }
    return following ? fold_to(m, (int64_t)m->log->len - 1) : 0;
}

void dl_model_observe(void *ud, const dl_event *ev)
{
    dl_model *m = ud;
    dl_trace_rec rec;
    if (m->err) return;
    int rc = dl_trace_render(&m->scratch, ev, &rec);
    /* A failing writer keeps its error for dl_trace_writer_close; the live
     * view goes on. */
    if (!rc && m->writer) dl_trace_writer_write(m->writer, &rec);
    if (!rc) rc = dl_model_feed(m, &rec);
    m->err = rc;
}

void dl_model_attach_writer(dl_model *m, dl_trace_writer *w)
{
    m->writer = w;
}

int dl_model_error(const dl_model *m)
{
    return m->err;
}

/* ===================================================================== */
/* Queries                                                               */
/* ===================================================================== */

const dl_trace *dl_model_trace(const dl_model *m)
{
    return m->log;
}

size_t dl_model_len(const dl_model *m)
{
    return m->log->len;
}

const dl_trace_rec *dl_model_event(const dl_model *m, size_t i)
{
    return i < m->log->len ? &m->log->recs[i] : NULL;
}

double dl_model_time(const dl_model *m)
{
    return m->cursor >= 0 ? m->log->recs[m->cursor].t : 0.0;
}

double dl_model_clock(const dl_model *m)
{
    return m->cur.clock;
}

int64_t dl_model_cell(const dl_model *m, int64_t *at)
{
    if (at) *at = m->cur.cell_at;
    return m->cur.cell;
}

size_t dl_model_deferred_count(const dl_model *m)
{
    return m->cur.defs.len;
}

const dl_model_deferred *dl_model_deferred_at(const dl_model *m, size_t k)
{
    if (k >= m->cur.defs.len) return NULL;
    return &(*(mdef *const *)pv_get(&m->cur.defs, &def_ops, k))->pub;
}

const dl_model_deferred *dl_model_find_deferred(const dl_model *m, uint32_t id)
{
    uint32_t slot;
    if (!idmap_find(&m->defmap, id, &slot)) return NULL;
    return dl_model_deferred_at(m, slot);
}

int dl_model_deferred_name(const dl_model_deferred *d, char *buf, size_t n)
{
    if (d->label) return snprintf(buf, n, "%s", d->label);
    return snprintf(buf, n, "d#%" PRIu32, d->id);
}

size_t dl_model_pair_count(const dl_model_deferred *d)
{
    return mdef_of(d)->pairs.len;
}

const dl_model_pair *dl_model_pair_at(const dl_model_deferred *d, size_t k)
{
    const mdef *x = mdef_of(d);
    return k < x->pairs.len ? pv_get(&x->pairs, &pair_ops, k) : NULL;
}

size_t dl_model_chained_count(const dl_model_deferred *d)
{
    return mdef_of(d)->chained.len;
}

uint32_t dl_model_chained_at(const dl_model_deferred *d, size_t k)
{
    const mdef *x = mdef_of(d);
    return k < x->chained.len ? *(const uint32_t *)pv_get(&x->chained, &id_ops, k) : 0;
}

size_t dl_model_structure_count(const dl_model *m)
{
    return m->cur.structs.len;
}

const dl_model_structure *dl_model_structure_at(const dl_model *m, size_t k)
{
    return k < m->cur.structs.len ? pv_get(&m->cur.structs, &struct_ops, k) : NULL;
}

const dl_model_structure *dl_model_find_structure(const dl_model *m, uint32_t id)
{
    uint32_t slot;
    if (!idmap_find(&m->structmap, id, &slot)) return NULL;
    return dl_model_structure_at(m, slot);
}

size_t dl_model_call_count(const dl_model *m)
{
    return m->cur.calls.len;
}

const dl_model_call *dl_model_call_at(const dl_model *m, size_t k)
{
    return k < m->cur.calls.len ? pv_get(&m->cur.calls, &call_ops, k) : NULL;
}

size_t dl_model_output_count(const dl_model *m)
{
    return idx_upto(&m->outputs, m->cursor);
}

static const char *idx_text(const dl_model *m, const idxlist *l, size_t k, int64_t *at)
{
    if (k >= idx_upto(l, m->cursor)) return NULL;
    if (at) *at = l->at[k];
    const char *t = m->log->recs[l->at[k]].text;
    return t ? t : "";
}

const char *dl_model_output_at(const dl_model *m, size_t k, int64_t *at)
{
    return idx_text(m, &m->outputs, k, at);
}

size_t dl_model_note_count(const dl_model *m)
{
    return idx_upto(&m->notes, m->cursor);
}

const char *dl_model_note_at(const dl_model *m, size_t k, int64_t *at)
{
    return idx_text(m, &m->notes, k, at);
}

/* ===================================================================== */
/* Dump                                                                  */
/* ===================================================================== */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap * 2;
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

static const char *kind_or_dash(int k)
{
    const char *s = dl_trace_vkind_name(k);
    return s ? s : "-";
}

static void dump_ids(sbuf *b, const uint32_t *ids, size_t n)
{
    sb_printf(b, "[");
    for (size_t j = 0; j < n; j++)
        sb_printf(b, "%s%" PRIu32, j ? "," : "", ids[j]);
    sb_printf(b, "]");
}

static void dump_deferred(sbuf *b, const dl_model_deferred *d)
{
    static const char *const states[] = {"unfired", "success", "failure", "waiting"};
    static const char *const pstatus[] = {"pending", "running", "ran", "passed"};
    char name[256];
    dl_model_deferred_name(d, name, sizeof name);
    sb_printf(b,
              "deferred %" PRIu32 " name=%s class=%s created=%" PRId64 "@%.17g state=%s "
              "paused=%" PRId32 " result=%s kind=%s waiting_on=%" PRIu32 " chained_from=%" PRIu32
              " chained_to=",
              d->id, name, d->cls, d->created_at, d->created_t, states[d->state], d->paused,
              or_dash(d->result), kind_or_dash(d->result_kind), d->waiting_on, d->chained_from);
    sb_printf(b, "[");
    for (size_t k = 0; k < dl_model_chained_count(d); k++)
        sb_printf(b, "%s%" PRIu32, k ? "," : "", dl_model_chained_at(d, k));
    sb_printf(b,
              "] running=%" PRIu32 " cancelled=%d canceller=%s unhandled=%s notice=%s "
              "last=%" PRId64 "\n",
              d->running, d->cancelled, or_dash(d->canceller),
              d->unhandled ? or_dash(d->unhandled_repr) : "-", or_dash(d->notice), d->last_event);
    for (size_t k = 0; k < dl_model_pair_count(d); k++) {
        const dl_model_pair *p = dl_model_pair_at(d, k);
        sb_printf(b,
                  "  pair #%" PRIu32 " cb=%s eb=%s cont=%" PRIu32 " %s slot=%s raised=%d "
                  "in=%s(%s) out=%s(%s)\n",
                  p->index, or_dash(p->cb), or_dash(p->eb), p->cont, pstatus[p->status],
                  p->slot < 0                   ? "-"
                  : p->slot == DL_SLOT_CALLBACK ? "callback"
                                                : "errback",
                  p->raised, or_dash(p->input), kind_or_dash(p->in_kind), or_dash(p->output),
                  kind_or_dash(p->out_kind));
    }
}

char *dl_model_dump(const dl_model *m)
{
    static const char *const cstatus[] = {"scheduled", "ran", "cancelled"};
    sbuf b = {malloc(4096), 0, 4096, false};
    if (!b.s) return NULL;
    b.s[0] = '\0';
    sb_printf(&b, "cursor %" PRId64 " t=%.17g clock=%.17g", m->cursor, dl_model_time(m),
              m->cur.clock);
    if (m->cur.cell_at >= 0)
        sb_printf(&b, " cell=%" PRId64 "@%" PRId64, m->cur.cell, m->cur.cell_at);
    sb_printf(&b, "\n");
    for (size_t k = 0; k < dl_model_deferred_count(m); k++)
        dump_deferred(&b, dl_model_deferred_at(m, k));
    for (size_t k = 0; k < dl_model_structure_count(m); k++) {
        const dl_model_structure *s = dl_model_structure_at(m, k);
        sb_printf(
            &b, "structure %" PRIu32 " class=%s label=%s created=%" PRId64 " changed=%" PRId64 "\n",
            s->id, or_dash(s->cls), or_dash(s->label), s->created_at, s->changed_at);
        for (uint32_t j = 0; j < s->nkv; j++) {
            sb_printf(&b, "  %s = %s ids=", s->kv[j].key, s->kv[j].repr);
            dump_ids(&b, s->kv[j].ids, s->kv[j].nids);
            sb_printf(&b, "\n");
        }
    }
    for (size_t k = 0; k < dl_model_call_count(m); k++) {
        const dl_model_call *c = dl_model_call_at(m, k);
        sb_printf(&b, "call %" PRIu32 " clock=%" PRIu32 " time=%.17g name=%s %s at=%" PRId64 "\n",
                  c->id, c->clock, c->time, or_dash(c->name), cstatus[c->status], c->scheduled_at);
    }
    int64_t at = 0;
    for (size_t k = 0; k < dl_model_output_count(m); k++) {
        const char *t = dl_model_output_at(m, k, &at);
        sb_printf(&b, "output %" PRId64 " %s\n", at, t);
    }
    for (size_t k = 0; k < dl_model_note_count(m); k++) {
        const char *t = dl_model_note_at(m, k, &at);
        sb_printf(&b, "note %" PRId64 " %s\n", at, t);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
