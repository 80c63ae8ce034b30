/* pool.c - DeferredPool, from public Deferred operations only. */
#include "pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable array of Deferreds, one reference each. */
typedef struct dvec {
    dl_deferred **items;
    size_t len, cap;
} dvec;

struct dl_pool {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    dvec pool;    /* the in-flight Deferreds */
    dvec waiting; /* notifyWhenEmpty Deferreds, FIFO */
};

static const dl_class pool_class;

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

static int dvec_push(dvec *v, dl_deferred *d)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        dl_deferred **n = realloc(v->items, cap * sizeof *n);
        if (!n) return DL_ENOMEM;
        v->items = n;
        v->cap = cap;
    }
    v->items[v->len++] = dl_deferred_retain(d);
    return 0;
}

/* Remove d; the caller gets the reference (NULL when absent). */
static dl_deferred *dvec_remove(dvec *v, const dl_deferred *d)
{
    for (size_t i = 0; i < v->len; i++) {
        if (v->items[i] != d) continue;
        dl_deferred *found = v->items[i];
        memmove(v->items + i, v->items + i + 1, (v->len - i - 1) * sizeof *v->items);
        v->len--;
        return found;
    }
    return NULL;
}

static void dvec_free(dvec *v)
{
    for (size_t i = 0; i < v->len; i++)
        dl_deferred_release(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

static dl_value dvec_list(const dvec *v)
{
    dl_value l = dl_list_new(v->len);
    if (l.kind != DL_LIST) return l;
    for (size_t i = 0; i < v->len; i++)
        dl_list_push(l, dl_deferred_value(v->items[i]));
    return l;
}

/* ---- STATE ---------------------------------------------------------------- */

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void emit_state(dl_pool *p)
{
    if (!dl_engine_wants(p->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(3);
    if (snap.kind != DL_LIST) return;
    kv(snap, "size", dl_int((int64_t)p->pool.len));
    kv(snap, "pool", dvec_list(&p->pool));
    kv(snap, "waiting", dvec_list(&p->waiting));
    dl_event ev = {.kind = DL_EV_STATE, .d = p->hdr.id, .text = "DeferredPool", .value = snap};
    dl_engine_emit(p->eng, &ev);
    dl_release(snap);
}

/* ---- the object ------------------------------------------------------------ */

static void pool_destroy(dl_obj *o)
{
    dl_pool *p = (dl_pool *)o;
    dvec_free(&p->pool);
    dvec_free(&p->waiting);
    free(p);
}

static int pool_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_pool *p = (const dl_pool *)o;
    return snprintf(buf, n, "<DeferredPool #%u size=%zu waiting=%zu>", (unsigned)p->hdr.id,
                    p->pool.len, p->waiting.len);
}

static const dl_class pool_class = {"DeferredPool", pool_destroy, pool_repr};

dl_pool *dl_pool_new(dl_engine *eng)
{
    dl_pool *p = calloc(1, sizeof *p);
    if (!p) {
        oom(eng);
        return NULL;
    }
    dl_obj_init(&p->hdr, &pool_class);
    p->hdr.id = dl_engine_next_obj_id(eng);
    p->eng = eng;
    emit_state(p);
    return p;
}

static void pool_ref_release(void *ud)
{
    dl_obj_release(ud);
}

/* Fire every waiter with None (the pool just became empty). */
static void fire_waiters(dl_pool *p)
{
    dvec waiting = p->waiting;
    memset(&p->waiting, 0, sizeof p->waiting);
    emit_state(p);
    for (size_t i = 0; i < waiting.len; i++) {
        /* A waiter cannot be fired twice: it was ours alone. */
        dl_deferred_callback(waiting.items[i], dl_none());
    }
    dvec_free(&waiting);
}

/* _fired(result, d): the pass-through each pooled Deferred runs. */
typedef struct fired_closure {
    dl_pool *p;     /* reference */
    dl_deferred *d; /* not a reference: the Deferred whose chain runs us */
} fired_closure;

static int fired_call(void *ud, dl_value result, dl_value *out)
{
    fired_closure *c = ud;
    dl_pool *p = c->p;
    *out = dl_retain(result);
    dl_deferred *d = dvec_remove(&p->pool, c->d);
    if (!d) return 0; /* already taken out by the other slot's twin: cannot happen */
    dl_obj_retain(p);
    if (p->pool.len == 0 && p->waiting.len)
        fire_waiters(p);
    else
        emit_state(p);
    dl_obj_release(p);
    dl_deferred_release(d);
    return 0;
}

static void fired_release(void *ud)
{
    fired_closure *c = ud;
    dl_obj_release(c->p);
    free(c);
}

static const dl_fn_class fired_class = {fired_call, fired_release, NULL, "_fired"};

static dl_fn fired_fn(dl_pool *p, dl_deferred *d)
{
    fired_closure *c = malloc(sizeof *c);
    if (!c) return dl_passthru();
    dl_obj_retain(p);
    c->p = p;
    c->d = d;
    return dl_fn_make(&fired_class, c);
}

int dl_pool_add(dl_pool *p, dl_deferred *d)
{
    if (dl_pool_contains(p, d)) return 0;
    dl_fn cb = fired_fn(p, d), eb = fired_fn(p, d);
    if (!cb.cls || !eb.cls || dvec_push(&p->pool, d) != 0) {
        dl_fn_release(cb);
        dl_fn_release(eb);
        return oom(p->eng);
    }
    emit_state(p);
    int rc = dl_deferred_add_both(d, cb, eb);
    if (rc != 0) {
        dl_deferred *x = dvec_remove(&p->pool, d);
        if (x) dl_deferred_release(x);
        emit_state(p);
        return oom(p->eng);
    }
    return 0;
}

/* The canceller of a waiter: it leaves the waiting list. */
static int cancel_waiter_call(void *ud, dl_value arg, dl_value *out)
{
    dl_pool *p = ud;
    dl_deferred *d = dvec_remove(&p->waiting, dl_deferred_of(arg));
    if (d) {
        emit_state(p);
        dl_deferred_release(d);
    }
    *out = dl_none();
    return 0;
}

static const dl_fn_class cancel_waiter_class = {cancel_waiter_call, pool_ref_release, NULL,
                                                "_cancelWaiter"};

dl_deferred *dl_pool_notify_when_empty(dl_pool *p, bool test_immediately)
{
    if (test_immediately && p->pool.len == 0) {
        dl_deferred *d = dl_succeed(p->eng, dl_none());
        if (!d) oom(p->eng);
        return d;
    }
    dl_obj_retain(p);
    dl_deferred *d = dl_deferred_new(p->eng, dl_fn_make(&cancel_waiter_class, p));
    if (!d || dvec_push(&p->waiting, d) != 0) {
        if (d) dl_deferred_release(d);
        oom(p->eng);
        return NULL;
    }
    emit_state(p);
    return d;
}

size_t dl_pool_size(const dl_pool *p)
{
    return p->pool.len;
}

size_t dl_pool_waiting(const dl_pool *p)
{
    return p->waiting.len;
}

bool dl_pool_contains(const dl_pool *p, const dl_deferred *d)
{
    for (size_t i = 0; i < p->pool.len; i++)
        if (p->pool.items[i] == d) return true;
    return false;
}

dl_pool *dl_pool_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &pool_class ? (dl_pool *)v.u.o : NULL;
}

dl_value dl_pool_value(dl_pool *p)
{
    dl_obj_retain(p);
    return dl_obj_value(DL_OBJ, p);
}
