/* primitives.c - DeferredQueue, DeferredLock, DeferredSemaphore.
 *
 * Each function follows the Twisted 22.4 method of the same name statement
 * by statement (reference 2.11); only public Deferred operations are used.
 * The three share a header: the engine, and the FIFO of waiting Deferreds
 * that a canceller removes from (X15).
 */
#include "primitives.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ===================================================================== */
/* The shared part                                                       */
/* ===================================================================== */

typedef struct prim {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    dl_deferred **waiting; /* one reference each, FIFO */
    size_t nwaiting, capwaiting;
} prim;

struct dl_queue {
    prim p;
    dl_value pending; /* DL_LIST */
    int64_t size, backlog;
};

struct dl_lock {
    prim p;
    bool locked;
};

struct dl_semaphore {
    prim p;
    int64_t tokens, limit;
};

static const dl_class queue_class, lock_class, semaphore_class;

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

static void prim_init(prim *p, const dl_class *cls, dl_engine *eng)
{
    dl_obj_init(&p->hdr, cls);
    p->hdr.id = dl_engine_next_obj_id(eng);
    p->eng = eng;
}

static void prim_free_waiting(prim *p)
{
    for (size_t i = 0; i < p->nwaiting; i++)
        dl_deferred_release(p->waiting[i]);
    free(p->waiting);
}

/* waiting.append(d): takes a new reference to d. */
static int waiting_push(prim *p, dl_deferred *d)
{
    if (p->nwaiting == p->capwaiting) {
        size_t cap = p->capwaiting ? p->capwaiting * 2 : 4;
        dl_deferred **n = realloc(p->waiting, cap * sizeof *n);
        if (!n) return oom(p->eng);
        p->waiting = n;
        p->capwaiting = cap;
    }
    p->waiting[p->nwaiting++] = dl_deferred_retain(d);
    return 0;
}

/* waiting.pop(0): the caller gets the reference. */
static dl_deferred *waiting_pop(prim *p)
{
    dl_deferred *d = p->waiting[0];
    memmove(p->waiting, p->waiting + 1, (p->nwaiting - 1) * sizeof *p->waiting);
    p->nwaiting--;
    return d;
}

/* waiting.remove(d): the caller gets the reference; NULL if absent. */
static dl_deferred *waiting_remove(prim *p, dl_deferred *d)
{
    for (size_t i = 0; i < p->nwaiting; i++) {
        if (p->waiting[i] != d) continue;
        memmove(p->waiting + i, p->waiting + i + 1, (p->nwaiting - i - 1) * sizeof *p->waiting);
        p->nwaiting--;
        return d;
    }
    return NULL;
}

/* ---- STATE events ------------------------------------------------------ */

/* Append {key, v} to the snapshot list; takes ownership of v. */
static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static dl_value waiting_list(const prim *p)
{
    dl_value l = dl_list_new(p->nwaiting);
    if (l.kind != DL_LIST) return l;
    for (size_t i = 0; i < p->nwaiting; i++)
        dl_list_push(l, dl_deferred_value(p->waiting[i]));
    return l;
}

static dl_value bound(int64_t n)
{
    return n < 0 ? dl_none() : dl_int(n);
}

static void emit_state(prim *p)
{
    if (!dl_engine_wants(p->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(4);
    if (snap.kind != DL_LIST) return;
    const dl_class *cls = p->hdr.cls;
    if (cls == &queue_class) {
        dl_queue *q = (dl_queue *)p;
        kv(snap, "pending", dl_retain(q->pending));
        kv(snap, "waiting", waiting_list(p));
        kv(snap, "size", bound(q->size));
        kv(snap, "backlog", bound(q->backlog));
    } else if (cls == &lock_class) {
        kv(snap, "locked", dl_bool(((dl_lock *)p)->locked));
        kv(snap, "waiting", waiting_list(p));
    } else {
        dl_semaphore *s = (dl_semaphore *)p;
        kv(snap, "tokens", dl_int(s->tokens));
        kv(snap, "limit", dl_int(s->limit));
        kv(snap, "waiting", waiting_list(p));
    }
    dl_event ev = {.kind = DL_EV_STATE, .d = p->hdr.id, .text = cls->name, .value = snap};
    dl_engine_emit(p->eng, &ev);
    dl_release(snap);
}

/* ---- the canceller of waiting Deferreds (_cancelGet / _cancelAcquire) --- */

static int cancel_waiter_call(void *ud, dl_value arg, dl_value *out)
{
    prim *p = ud;
    dl_deferred *d = waiting_remove(p, dl_deferred_of(arg));
    if (!d) {
        /* Cannot happen through cancel() (a fired Deferred's canceller is
         * never called), but list.remove would raise, so do we. */
        *out = dl_fail_value(&dl_type_ValueError, "list.remove(x): x not in list");
        return DL_ERAISED;
    }
    emit_state(p);
    dl_deferred_release(d);
    *out = dl_none();
    return 0;
}

static void prim_ref_release(void *ud)
{
    dl_obj_release(ud);
}

static const char *cancel_waiter_name(void *ud)
{
    return ((prim *)ud)->hdr.cls == &queue_class ? "_cancelGet" : "_cancelAcquire";
}

static const dl_fn_class cancel_waiter_class = {cancel_waiter_call, prim_ref_release,
                                                cancel_waiter_name, "_cancelAcquire"};

static dl_deferred *new_waiter(prim *p)
{
    dl_obj_retain(p);
    dl_deferred *d = dl_deferred_new(p->eng, dl_fn_make(&cancel_waiter_class, p));
    if (!d) oom(p->eng);
    return d;
}

/* ===================================================================== */
/* DeferredQueue                                                         */
/* ===================================================================== */

static void queue_destroy(dl_obj *o)
{
    dl_queue *q = (dl_queue *)o;
    prim_free_waiting(&q->p);
    dl_release(q->pending);
    free(q);
}

static int queue_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_queue *q = (const dl_queue *)o;
    return snprintf(buf, n, "<DeferredQueue #%u pending=%zu waiting=%zu>", (unsigned)q->p.hdr.id,
                    dl_list_len(q->pending), q->p.nwaiting);
}

static const dl_class queue_class = {"DeferredQueue", queue_destroy, queue_repr};

dl_queue *dl_queue_new(dl_engine *eng, int64_t size, int64_t backlog)
{
    if (size < -1 || backlog < -1) {
        dl__raisef(eng, DL_EINVAL, &dl_type_ValueError, "size and backlog must be >= 0 or None");
        return NULL;
    }
    dl_queue *q = calloc(1, sizeof *q);
    if (!q) goto fail;
    q->pending = dl_list_new(4);
    if (q->pending.kind != DL_LIST) goto fail;
    prim_init(&q->p, &queue_class, eng);
    q->size = size;
    q->backlog = backlog;
    emit_state(&q->p);
    return q;
fail:
    free(q);
    oom(eng);
    return NULL;
}

int dl_queue_put(dl_queue *q, dl_value v)
{
    if (q->p.nwaiting) {
        dl_deferred *d = waiting_pop(&q->p);
        emit_state(&q->p);
        int rc = dl_deferred_callback(d, v);
        dl_deferred_release(d);
        return rc;
    }
    if (q->size < 0 || (int64_t)dl_list_len(q->pending) < q->size) {
        if (dl_list_push(q->pending, dl_retain(v)) != 0) return oom(q->p.eng);
        emit_state(&q->p);
        return 0;
    }
    return dl__raisef(q->p.eng, DL_EQUEUEOVERFLOW, &dl_type_QueueOverflow, "%s", "");
}

int dl_queue_get(dl_queue *q, dl_deferred **out)
{
    *out = NULL;
    dl_list *l = (dl_list *)q->pending.u.o;
    if (l->len) {
        dl_value v = l->items[0];
        memmove(l->items, l->items + 1, (l->len - 1) * sizeof *l->items);
        l->len--;
        emit_state(&q->p);
        *out = dl_succeed(q->p.eng, v);
        dl_release(v);
        return *out ? 0 : oom(q->p.eng);
    }
    if (q->backlog < 0 || (int64_t)q->p.nwaiting < q->backlog) {
        dl_deferred *d = new_waiter(&q->p);
        if (!d) return DL_ENOMEM;
        if (waiting_push(&q->p, d) != 0) {
            dl_deferred_release(d);
            return DL_ENOMEM;
        }
        emit_state(&q->p);
        *out = d;
        return 0;
    }
    return dl__raisef(q->p.eng, DL_EQUEUEUNDERFLOW, &dl_type_QueueUnderflow, "%s", "");
}

dl_value dl_queue_pending(const dl_queue *q)
{
    return q->pending;
}

size_t dl_queue_waiting(const dl_queue *q)
{
    return q->p.nwaiting;
}

int64_t dl_queue_size(const dl_queue *q)
{
    return q->size;
}

int64_t dl_queue_backlog(const dl_queue *q)
{
    return q->backlog;
}

dl_queue *dl_queue_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &queue_class ? (dl_queue *)v.u.o : NULL;
}

dl_value dl_queue_value(dl_queue *q)
{
    dl_obj_retain(q);
    return dl_obj_value(DL_OBJ, q);
}

/* ===================================================================== */
/* DeferredLock and DeferredSemaphore                                    */
/* ===================================================================== */

static void conc_destroy(dl_obj *o)
{
    prim_free_waiting((prim *)o);
    free(o);
}

static int lock_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_lock *l = (const dl_lock *)o;
    return snprintf(buf, n, "<DeferredLock #%u %s waiting=%zu>", (unsigned)l->p.hdr.id,
                    l->locked ? "locked" : "unlocked", l->p.nwaiting);
}

static int semaphore_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_semaphore *s = (const dl_semaphore *)o;
    return snprintf(buf, n, "<DeferredSemaphore #%u tokens=%lld/%lld waiting=%zu>",
                    (unsigned)s->p.hdr.id, (long long)s->tokens, (long long)s->limit,
                    s->p.nwaiting);
}

static const dl_class lock_class = {"DeferredLock", conc_destroy, lock_repr};
static const dl_class semaphore_class = {"DeferredSemaphore", conc_destroy, semaphore_repr};

/* Fire d with the primitive itself, as `d.callback(self)` does. */
static int fire_with_self(prim *p, dl_deferred *d)
{
    dl_value self = dl_obj_value(DL_OBJ, p);
    return dl_deferred_callback(d, self);
}

/* Hand the primitive to the first waiter (release()'s tail). */
static int hand_off(prim *p)
{
    dl_deferred *d = waiting_pop(p);
    emit_state(p);
    int rc = fire_with_self(p, d);
    dl_deferred_release(d);
    return rc;
}

dl_lock *dl_lock_new(dl_engine *eng)
{
    dl_lock *l = calloc(1, sizeof *l);
    if (!l) {
        oom(eng);
        return NULL;
    }
    prim_init(&l->p, &lock_class, eng);
    emit_state(&l->p);
    return l;
}

dl_deferred *dl_lock_acquire(dl_lock *l)
{
    dl_deferred *d = new_waiter(&l->p);
    if (!d) return NULL;
    if (l->locked) {
        if (waiting_push(&l->p, d) != 0) {
            dl_deferred_release(d);
            return NULL;
        }
        emit_state(&l->p);
    } else {
        l->locked = true;
        emit_state(&l->p);
        fire_with_self(&l->p, d);
    }
    return d;
}

int dl_lock_release(dl_lock *l)
{
    if (!l->locked)
        return dl__raisef(l->p.eng, DL_EASSERTION, &dl_type_AssertionError,
                          "Tried to release an unlocked lock");
    l->locked = false;
    if (l->p.nwaiting) {
        l->locked = true;
        return hand_off(&l->p);
    }
    emit_state(&l->p);
    return 0;
}

bool dl_lock_locked(const dl_lock *l)
{
    return l->locked;
}

size_t dl_lock_waiting(const dl_lock *l)
{
    return l->p.nwaiting;
}

dl_lock *dl_lock_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &lock_class ? (dl_lock *)v.u.o : NULL;
}

dl_value dl_lock_value(dl_lock *l)
{
    dl_obj_retain(l);
    return dl_obj_value(DL_OBJ, l);
}

dl_semaphore *dl_semaphore_new(dl_engine *eng, int64_t tokens)
{
    if (tokens < 1) {
        dl__raisef(eng, DL_EVALUE, &dl_type_ValueError, "DeferredSemaphore requires tokens >= 1");
        return NULL;
    }
    dl_semaphore *s = calloc(1, sizeof *s);
    if (!s) {
        oom(eng);
        return NULL;
    }
    prim_init(&s->p, &semaphore_class, eng);
    s->tokens = s->limit = tokens;
    emit_state(&s->p);
    return s;
}

dl_deferred *dl_semaphore_acquire(dl_semaphore *s)
{
    dl_deferred *d = new_waiter(&s->p);
    if (!d) return NULL;
    if (!s->tokens) {
        if (waiting_push(&s->p, d) != 0) {
            dl_deferred_release(d);
            return NULL;
        }
        emit_state(&s->p);
    } else {
        s->tokens--;
        emit_state(&s->p);
        fire_with_self(&s->p, d);
    }
    return d;
}

int dl_semaphore_release(dl_semaphore *s)
{
    if (!(s->tokens < s->limit))
        return dl__raisef(s->p.eng, DL_EASSERTION, &dl_type_AssertionError,
                          "Someone released me too many times: too many tokens!");
    s->tokens++;
    if (s->p.nwaiting) {
        s->tokens--;
        return hand_off(&s->p);
    }
    emit_state(&s->p);
    return 0;
}

int64_t dl_semaphore_tokens(const dl_semaphore *s)
{
    return s->tokens;
}

int64_t dl_semaphore_limit(const dl_semaphore *s)
{
    return s->limit;
}

size_t dl_semaphore_waiting(const dl_semaphore *s)
{
    return s->p.nwaiting;
}

dl_semaphore *dl_semaphore_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &semaphore_class ? (dl_semaphore *)v.u.o : NULL;
}

dl_value dl_semaphore_value(dl_semaphore *s)
{
    dl_obj_retain(s);
    return dl_obj_value(DL_OBJ, s);
}

/* ---- run(f, arg) --------------------------------------------------------
 *
 *   def execute(ignored):
 *       return maybeDeferred(f, arg).addBoth(self._releaseAndReturn)
 *   return self.acquire().addCallback(execute)
 */

static int prim_release(prim *p)
{
    if (p->hdr.cls == &lock_class) return dl_lock_release((dl_lock *)p);
    return dl_semaphore_release((dl_semaphore *)p);
}

/* _releaseAndReturn(r): release(), then r. A failing release "raises". */
static int release_and_return_call(void *ud, dl_value arg, dl_value *out)
{
    prim *p = ud;
    int rc = prim_release(p);
    if (rc) {
        *out = dl_engine_take_raised(p->eng);
        return DL_ERAISED;
    }
    *out = dl_retain(arg);
    return 0;
}

static const dl_fn_class release_and_return_class = {release_and_return_call, prim_ref_release,
                                                     NULL, "_releaseAndReturn"};

typedef struct execute_closure {
    prim *p;  /* reference */
    dl_fn fn; /* moved out when called */
    dl_value arg;
} execute_closure;

static int execute_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    execute_closure *x = ud;
    dl_fn fn = x->fn;
    x->fn = dl_passthru();
    dl_deferred *d = dl_maybe_deferred(x->p->eng, fn, x->arg);
    if (!d) {
        *out = dl_engine_take_raised(x->p->eng);
        return DL_ERAISED;
    }
    dl_obj_retain(x->p);
    dl_obj_retain(x->p);
    dl_deferred_add_both(d, dl_fn_make(&release_and_return_class, x->p),
                         dl_fn_make(&release_and_return_class, x->p));
    *out = dl_obj_value(DL_DEFERRED, d); /* hands our reference on */
    return 0;
}

static void execute_release(void *ud)
{
    execute_closure *x = ud;
    dl_fn_release(x->fn);
    dl_release(x->arg);
    dl_obj_release(x->p);
    free(x);
}

static const char *execute_name(void *ud)
{
    (void)ud;
    return "execute";
}

static const dl_fn_class execute_class = {execute_call, execute_release, execute_name, "execute"};

static dl_deferred *prim_run(prim *p, dl_fn fn, dl_value arg)
{
    if (!fn.cls) {
        /* Python: run() without f is a TypeError before anything happens. */
        dl__raisef(p->eng, DL_ETYPE, &dl_type_TypeError,
                   "run() missing 1 required positional argument: 'f'");
        return NULL;
    }
    execute_closure *x = malloc(sizeof *x);
    if (!x) {
        dl_fn_release(fn);
        oom(p->eng);
        return NULL;
    }
    dl_obj_retain(p);
    x->p = p;
    x->fn = fn;
    x->arg = dl_retain(arg);
    dl_deferred *d = p->hdr.cls == &lock_class ? dl_lock_acquire((dl_lock *)p)
                                               : dl_semaphore_acquire((dl_semaphore *)p);
    if (!d) {
        execute_release(x);
        return NULL;
    }
    dl_deferred_add_callback(d, dl_fn_make(&execute_class, x));
    return d;
}

dl_deferred *dl_lock_run(dl_lock *l, dl_fn fn, dl_value arg)
{
    return prim_run(&l->p, fn, arg);
}

dl_deferred *dl_semaphore_run(dl_semaphore *s, dl_fn fn, dl_value arg)
{
    return prim_run(&s->p, fn, arg);
}
