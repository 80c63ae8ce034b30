/* rdq.c - DeferredPriorityQueue, Job, ResizableDispatchQueue.
 *
 * Built from public Deferred operations and the DeferredPool (pool.h): each
 * worker of the dispatch queue is represented in the pool by one Deferred
 * that fires when the worker stops, so "no job underway" is
 * pool.notifyWhenEmpty(), as in txrdq.
 */
#include "rdq.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void obj_ref_release(void *ud)
{
    dl_obj_release(ud);
}

/* ===================================================================== */
/* DeferredPriorityQueue                                                 */
/* ===================================================================== */

typedef struct dpq_item {
    dl_value v; /* owned */
    double priority;
    uint64_t count; /* put order: keeps equal priorities FIFO; unique */
} dpq_item;

/* The identity index: value -> its (priority, count), so a pending value is
 * found by hashing then binary search, and a duplicate put is O(1).
 * Open addressing; `count` 0 marks an empty slot, UINT64_MAX a deleted one. */
typedef struct dpq_slot {
    dl_value v; /* borrowed from the item */
    double priority;
    uint64_t count;
} dpq_slot;

#define SLOT_DELETED UINT64_MAX

struct dl_dpq {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    /* Sorted, most important first: buf[head .. head+len). Room is kept at
     * both ends, so puts at either end and gets are O(1). */
    dpq_item *buf;
    size_t head, len, cap;
    uint64_t counter;
    dpq_slot *slots;       /* the identity index; nslots is 0 or a power of 2 */
    size_t nslots, used;   /* used: live + deleted slots */
    dl_deferred **waiting; /* one reference each, FIFO */
    size_t nwaiting, capwaiting;
};

static const dl_class dpq_class;

static dpq_item *item_at(const dl_dpq *q, size_t i)
{
    return &q->buf[q->head + i];
}

static void dpq_emit(dl_dpq *q)
{
    if (!dl_engine_wants(q->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(2), pending = dl_list_new(q->len),
             waiting = dl_list_new(q->nwaiting);
    if (snap.kind != DL_LIST || pending.kind != DL_LIST || waiting.kind != DL_LIST) goto done;
    for (size_t i = 0; i < q->len; i++)
        dl_list_push(pending,
                     dl_pair_new(dl_retain(item_at(q, i)->v), dl_num(item_at(q, i)->priority)));
    for (size_t i = 0; i < q->nwaiting; i++)
        dl_list_push(waiting, dl_deferred_value(q->waiting[i]));
    kv(snap, "pending", pending);
    kv(snap, "waiting", waiting);
    pending = waiting = dl_none();
    dl_event ev = {
        .kind = DL_EV_STATE, .d = q->hdr.id, .text = "DeferredPriorityQueue", .value = snap};
    dl_engine_emit(q->eng, &ev);
done:
    dl_release(snap);
    dl_release(pending);
    dl_release(waiting);
}

static void dpq_destroy(dl_obj *o)
{
    dl_dpq *q = (dl_dpq *)o;
    for (size_t i = 0; i < q->len; i++)
        dl_release(item_at(q, i)->v);
    free(q->buf);
    free(q->slots);
    for (size_t i = 0; i < q->nwaiting; i++)
        dl_deferred_release(q->waiting[i]);
    free(q->waiting);
    free(q);
}

static int dpq_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_dpq *q = (const dl_dpq *)o;
    return snprintf(buf, n, "<DeferredPriorityQueue #%u pending=%zu waiting=%zu>",
                    (unsigned)q->hdr.id, q->len, q->nwaiting);
}

static const dl_class dpq_class = {"DeferredPriorityQueue", dpq_destroy, dpq_repr};

dl_dpq *dl_dpq_new(dl_engine *eng)
{
    dl_dpq *q = calloc(1, sizeof *q);
    if (!q) {
        oom(eng);
        return NULL;
    }
    dl_obj_init(&q->hdr, &dpq_class);
    q->hdr.id = dl_engine_next_obj_id(eng);
    q->eng = eng;
    dpq_emit(q);
    return q;
}

/* ---- the identity index ---- */

static size_t hash_value(dl_value v)
{
    uint64_t x = dl_is_heap(v) ? (uint64_t)(uintptr_t)v.u.o : (uint64_t)v.u.i;
    if (v.kind == DL_NUM && v.u.n == 0) x = 0; /* 0.0 == -0.0 */
    x ^= (uint64_t)v.kind << 56;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static dpq_slot *slot_find(const dl_dpq *q, dl_value v)
{
    if (!q->nslots) return NULL;
    size_t mask = q->nslots - 1;
    for (size_t i = hash_value(v) & mask;; i = (i + 1) & mask) {
        dpq_slot *s = &q->slots[i];
        if (s->count == 0) return NULL;
        if (s->count != SLOT_DELETED && dl_same(s->v, v)) return s;
    }
}

static int slot_add(dl_dpq *q, dl_value v, double priority, uint64_t count);

static int slots_grow(dl_dpq *q)
{
    size_t n = q->nslots ? q->nslots : 8;
    while ((q->len + 1) * 2 > n)
        n *= 2;
    dpq_slot *old = q->slots;
    size_t nold = q->nslots;
    q->slots = calloc(n, sizeof *q->slots);
    if (!q->slots) {
        q->slots = old;
        return DL_ENOMEM;
    }
    q->nslots = n;
    q->used = 0;
    for (size_t i = 0; i < nold; i++)
        if (old[i].count && old[i].count != SLOT_DELETED)
            slot_add(q, old[i].v, old[i].priority, old[i].count);
    free(old);
    return 0;
}

static int slot_add(dl_dpq *q, dl_value v, double priority, uint64_t count)
{
    if ((q->used + 1) * 2 > q->nslots && slots_grow(q) != 0) return DL_ENOMEM;
    size_t mask = q->nslots - 1;
    size_t i = hash_value(v) & mask;
    while (q->slots[i].count && q->slots[i].count != SLOT_DELETED)
        i = (i + 1) & mask;
    if (q->slots[i].count == 0) q->used++;
    q->slots[i] = (dpq_slot){v, priority, count};
    return 0;
}

/* The position of the item with this (priority, count): binary search. */
static bool key_before(double p1, uint64_t c1, double p2, uint64_t c2)
{
    return p1 < p2 || (p1 == p2 && c1 < c2);
}

static size_t lower_bound(const dl_dpq *q, double priority, uint64_t count)
{
    size_t lo = 0, hi = q->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const dpq_item *it = item_at(q, mid);
        if (key_before(it->priority, it->count, priority, count))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Index of pending v, or -1. */
static ptrdiff_t dpq_find(const dl_dpq *q, dl_value v)
{
    const dpq_slot *s = slot_find(q, v);
    return s ? (ptrdiff_t)lower_bound(q, s->priority, s->count) : -1;
}

/* Insert in order; takes ownership of v (released on error). */
static int dpq_insert(dl_dpq *q, dl_value v, double priority, uint64_t count)
{
    size_t at = lower_bound(q, priority, count);
    bool front = at == 0 && q->head > 0;
    if (!front && (q->head + q->len == q->cap || (at == 0 && q->len))) {
        /* No room on the side to shift into: re-centre in a buffer twice
         * the size (so runs of puts at either end stay O(1) amortised). */
        size_t cap = q->len * 2 + 8;
        dpq_item *n = malloc(cap * sizeof *n);
        if (!n) goto fail;
        size_t head = (cap - q->len) / 2;
        if (q->len) memcpy(n + head, item_at(q, 0), q->len * sizeof *n);
        free(q->buf);
        q->buf = n;
        q->head = head;
        q->cap = cap;
        front = at == 0 && q->head > 0;
    }
    if (slot_add(q, v, priority, count) != 0) goto fail;
    if (front) {
        q->head--;
    } else {
        dpq_item *p = item_at(q, at);
        memmove(p + 1, p, (q->len - at) * sizeof *p);
    }
    *item_at(q, at) = (dpq_item){v, priority, count};
    q->len++;
    return 0;
fail:
    dl_release(v);
    return oom(q->eng);
}

/* Take item i out; returns its value (the caller gets the reference). */
static dl_value dpq_take(dl_dpq *q, size_t i)
{
    dpq_item *p = item_at(q, i);
    dl_value v = p->v;
    dpq_slot *s = slot_find(q, v);
    if (s) s->count = SLOT_DELETED;
    if (i == 0) {
        q->head++;
    } else {
        memmove(p, p + 1, (q->len - i - 1) * sizeof *p);
    }
    q->len--;
    if (!q->len) {
        q->head = q->cap / 2; /* room on both sides again */
        if (q->slots) memset(q->slots, 0, q->nslots * sizeof *q->slots);
        q->used = 0;
    }
    return v;
}

int dl_dpq_put(dl_dpq *q, dl_value v, double priority)
{
    if (q->nwaiting) {
        dl_deferred *d = q->waiting[0];
        memmove(q->waiting, q->waiting + 1, (q->nwaiting - 1) * sizeof *q->waiting);
        q->nwaiting--;
        dpq_emit(q);
        int rc = dl_deferred_callback(d, v);
        dl_deferred_release(d);
        return rc;
    }
    if (dpq_find(q, v) >= 0) {
        char r[96];
        dl_repr(v, r, sizeof r);
        return dl__raisef(q->eng, DL_ERUNTIME, &dl_type_RuntimeError, "Object %s already in queue.",
                          r);
    }
    int rc = dpq_insert(q, dl_retain(v), priority, ++q->counter);
    if (rc == 0) dpq_emit(q);
    return rc;
}

static int dpq_cancel_get_call(void *ud, dl_value arg, dl_value *out)
{
    dl_dpq *q = ud;
    dl_deferred *d = dl_deferred_of(arg);
    *out = dl_none();
    for (size_t i = 0; i < q->nwaiting; i++) {
        if (q->waiting[i] != d) continue;
        memmove(q->waiting + i, q->waiting + i + 1, (q->nwaiting - i - 1) * sizeof *q->waiting);
        q->nwaiting--;
        dpq_emit(q);
        dl_deferred_release(d);
        break;
    }
    return 0;
}

static const dl_fn_class dpq_cancel_get_class = {dpq_cancel_get_call, obj_ref_release, NULL,
                                                 "_cancelGet"};

int dl_dpq_get(dl_dpq *q, dl_deferred **out)
{
    *out = NULL;
    if (q->len) {
        dl_value v = dpq_take(q, 0);
        dpq_emit(q);
        *out = dl_succeed(q->eng, v);
        dl_release(v);
        return *out ? 0 : oom(q->eng);
    }
    if (q->nwaiting == q->capwaiting) {
        size_t cap = q->capwaiting ? q->capwaiting * 2 : 4;
        dl_deferred **n = realloc(q->waiting, cap * sizeof *n);
        if (!n) return oom(q->eng);
        q->waiting = n;
        q->capwaiting = cap;
    }
    dl_obj_retain(q);
    dl_deferred *d = dl_deferred_new(q->eng, dl_fn_make(&dpq_cancel_get_class, q));
    if (!d) return oom(q->eng);
    q->waiting[q->nwaiting++] = dl_deferred_retain(d);
    dpq_emit(q);
    *out = d;
    return 0;
}

static int key_error(dl_dpq *q, dl_value v)
{
    char r[96];
    dl_repr(v, r, sizeof r);
    return dl__raisef(q->eng, DL_EVALUE, &dl_type_KeyError, "%s", r);
}

int dl_dpq_delete(dl_dpq *q, dl_value v)
{
    ptrdiff_t i = dpq_find(q, v);
    if (i < 0) return key_error(q, v);
    dl_release(dpq_take(q, (size_t)i));
    dpq_emit(q);
    return 0;
}

int dl_dpq_reprioritize(dl_dpq *q, dl_value v, double priority)
{
    ptrdiff_t i = dpq_find(q, v);
    if (i < 0) return key_error(q, v);
    if (item_at(q, (size_t)i)->priority == priority) return 0;
    uint64_t count = item_at(q, (size_t)i)->count;
    dl_value taken = dpq_take(q, (size_t)i);
    int rc = dpq_insert(q, taken, priority, count);
    dpq_emit(q);
    return rc;
}

dl_value dl_dpq_pending(const dl_dpq *q)
{
    dl_value l = dl_list_new(q->len);
    for (size_t i = 0; l.kind == DL_LIST && i < q->len; i++)
        dl_list_push(l, dl_retain(item_at(q, i)->v));
    return l;
}

size_t dl_dpq_len(const dl_dpq *q)
{
    return q->len;
}

size_t dl_dpq_waiting(const dl_dpq *q)
{
    return q->nwaiting;
}

dl_dpq *dl_dpq_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &dpq_class ? (dl_dpq *)v.u.o : NULL;
}

dl_value dl_dpq_value(dl_dpq *q)
{
    dl_obj_retain(q);
    return dl_obj_value(DL_OBJ, q);
}

/* ===================================================================== */
/* Job                                                                   */
/* ===================================================================== */

struct dl_job {
    dl_obj hdr; /* hdr.id: its own structure id */
    dl_engine *eng;
    dl_reactor *reactor; /* reference: the clock for the times */
    dl_value jobarg;
    double priority;
    double queued_at, launched_at, stopped_at;
    dl_value result, failure;
    dl_job_state state;
    dl_deferred *underway;  /* fn's Deferred while underway: reference */
    dl_deferred **watchers; /* one reference each */
    size_t nwatchers, capwatchers;
};

static const dl_class job_class;

static const char *const job_state_names[] = {"PENDING", "UNDERWAY", "FINISHED", "FAILED",
                                              "CANCELLED"};

const char *dl_job_state_name(dl_job_state s)
{
    return (unsigned)s < 5 ? job_state_names[s] : "?";
}

static void job_destroy(dl_obj *o)
{
    dl_job *job = (dl_job *)o;
    dl_release(job->jobarg);
    dl_release(job->result);
    dl_release(job->failure);
    if (job->underway) dl_deferred_release(job->underway);
    for (size_t i = 0; i < job->nwatchers; i++)
        dl_deferred_release(job->watchers[i]);
    free(job->watchers);
    dl_obj_release(job->reactor);
    free(job);
}

static int job_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_job *job = (const dl_job *)o;
    char arg[DL_REPR_MAX + 8];
    dl_repr(job->jobarg, arg, sizeof arg);
    return snprintf(buf, n, "<Job #%u %s priority=%g %s>", (unsigned)job->hdr.id, arg,
                    job->priority, dl_job_state_name(job->state));
}

static const dl_class job_class = {"Job", job_destroy, job_repr};

static dl_job *job_new(dl_reactor *r, dl_value jobarg, double priority)
{
    dl_job *job = calloc(1, sizeof *job);
    if (!job) {
        oom(r->eng);
        return NULL;
    }
    dl_obj_init(&job->hdr, &job_class);
    job->hdr.id = dl_engine_next_obj_id(r->eng);
    job->eng = r->eng;
    dl_obj_retain(r);
    job->reactor = r;
    job->jobarg = dl_retain(jobarg);
    job->priority = priority;
    job->queued_at = dl_reactor_seconds(r);
    job->launched_at = job->stopped_at = NAN;
    job->result = job->failure = dl_none();
    return job;
}

/* The failure watchers receive: type(message) with args {job}. */
static dl_value job_failure_value(dl_job *job, dl_errtype *type, const char *message)
{
    dl_value args = dl_list_new(1);
    if (args.kind != DL_LIST || dl_list_push(args, dl_job_value(job)) != 0) {
        dl_release(args);
        return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    }
    dl_exception *e = dl_exception_new(type, message, args);
    dl_failure *f = e ? dl_failure_new(e, NULL) : NULL;
    dl_obj_release(e);
    if (!f) return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    return dl_obj_value(DL_FAILURE, f);
}

/* Fire every watcher with v (the job, or a failure). */
static void job_notify(dl_job *job, dl_value v)
{
    dl_deferred **w = job->watchers;
    size_t n = job->nwatchers;
    job->watchers = NULL;
    job->nwatchers = job->capwatchers = 0;
    dl_obj_retain(job);
    for (size_t i = 0; i < n; i++) {
        if (dl_is_failure(v))
            dl_deferred_errback(w[i], v);
        else
            dl_deferred_callback(w[i], v);
        dl_deferred_release(w[i]);
    }
    free(w);
    dl_obj_release(job);
}

int dl_job_cancel(dl_job *job)
{
    if (job->state != DL_JOB_PENDING && job->state != DL_JOB_UNDERWAY) return 0;
    dl_obj_retain(job);
    job->stopped_at = dl_reactor_seconds(job->reactor);
    bool was_underway = job->state == DL_JOB_UNDERWAY;
    job->state = DL_JOB_CANCELLED;
    int rc = 0;
    if (was_underway && job->underway) rc = dl_deferred_cancel(job->underway);
    dl_value f = job_failure_value(job, &dl_type_CancelledError, NULL);
    job_notify(job, f);
    dl_release(f);
    dl_obj_release(job);
    return rc;
}

static int job_cancel_watcher_call(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    dl_job *job = ud;
    *out = dl_none();
    if (dl_job_cancel(job) != 0) {
        *out = dl_engine_take_raised(job->eng);
        return DL_ERAISED;
    }
    return 0;
}

static const dl_fn_class job_cancel_watcher_class = {job_cancel_watcher_call, obj_ref_release, NULL,
                                                     "_cancelWatcher"};

dl_deferred *dl_job_watch(dl_job *job)
{
    if (job->state == DL_JOB_FINISHED) return dl_succeed(job->eng, dl_obj_value(DL_OBJ, job));
    if (job->state != DL_JOB_PENDING && job->state != DL_JOB_UNDERWAY) {
        dl_value f = job->state == DL_JOB_FAILED
                         ? job_failure_value(job, dl_failure_type(job->failure),
                                             dl_failure_of(job->failure)->exc->message)
                         : job_failure_value(job, &dl_type_CancelledError, NULL);
        dl_deferred *d = dl_fail(job->eng, f);
        dl_release(f);
        return d;
    }
    if (job->nwatchers == job->capwatchers) {
        size_t cap = job->capwatchers ? job->capwatchers * 2 : 2;
        dl_deferred **n = realloc(job->watchers, cap * sizeof *n);
        if (!n) {
            oom(job->eng);
            return NULL;
        }
        job->watchers = n;
        job->capwatchers = cap;
    }
    dl_obj_retain(job);
    dl_deferred *d = dl_deferred_new(job->eng, dl_fn_make(&job_cancel_watcher_class, job));
    if (!d) {
        oom(job->eng);
        return NULL;
    }
    job->watchers[job->nwatchers++] = dl_deferred_retain(d);
    return d;
}

/* _finished / _failed: the pair on fn's Deferred. Both end its chain with
 * None. A result that arrives after cancel() is ignored. */
static int job_finished_call(void *ud, dl_value result, dl_value *out)
{
    dl_job *job = ud;
    *out = dl_none();
    if (job->state != DL_JOB_UNDERWAY) return 0;
    job->stopped_at = dl_reactor_seconds(job->reactor);
    job->state = DL_JOB_FINISHED;
    dl_release(job->result);
    job->result = dl_retain(result);
    job_notify(job, dl_obj_value(DL_OBJ, job));
    return 0;
}

static int job_failed_call(void *ud, dl_value failure, dl_value *out)
{
    dl_job *job = ud;
    *out = dl_none();
    if (job->state != DL_JOB_UNDERWAY) return 0;
    job->stopped_at = dl_reactor_seconds(job->reactor);
    job->state = DL_JOB_FAILED;
    dl_release(job->failure);
    job->failure = dl_retain(failure);
    dl_value f =
        job_failure_value(job, dl_failure_type(failure), dl_failure_of(failure)->exc->message);
    job_notify(job, f);
    dl_release(f);
    return 0;
}

static const dl_fn_class job_finished_class = {job_finished_call, obj_ref_release, NULL,
                                               "_finished"};
static const dl_fn_class job_failed_class = {job_failed_call, obj_ref_release, NULL, "_failed"};

dl_job_state dl_job_get_state(const dl_job *job)
{
    return job->state;
}

dl_value dl_job_arg(const dl_job *job)
{
    return job->jobarg;
}

double dl_job_priority(const dl_job *job)
{
    return job->priority;
}

double dl_job_queued_at(const dl_job *job)
{
    return job->queued_at;
}

double dl_job_launched_at(const dl_job *job)
{
    return job->launched_at;
}

double dl_job_stopped_at(const dl_job *job)
{
    return job->stopped_at;
}

dl_value dl_job_result(const dl_job *job)
{
    return job->result;
}

dl_value dl_job_failure(const dl_job *job)
{
    return job->failure;
}

dl_job *dl_job_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &job_class ? (dl_job *)v.u.o : NULL;
}

dl_value dl_job_value(dl_job *job)
{
    dl_obj_retain(job);
    return dl_obj_value(DL_OBJ, job);
}

/* ===================================================================== */
/* ResizableDispatchQueue                                                */
/* ===================================================================== */

struct dl_rdq {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    dl_reactor *reactor; /* reference */
    dl_fn fn;
    dl_dpq *queue; /* reference */
    dl_pool *pool; /* reference: one Deferred per running worker */
    int64_t current_width, pending_stops, paused_width;
    bool paused, stopped;
    dl_job **underway; /* one reference each, launch order */
    size_t nunderway, capunderway;
};

static const dl_class rdq_class;

/* The no-op job that wakes an idle worker so it can stop. */
static const dl_class noop_class = {"NOOP", NULL, NULL};
static dl_obj noop_obj = {DL_IMMORTAL, 0, &noop_class};

static bool is_noop(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o == &noop_obj;
}

static int put_noop(dl_rdq *q)
{
    return dl_dpq_put(q->queue, dl_obj_value(DL_OBJ, &noop_obj), 0);
}

static dl_value job_list(dl_job *const *jobs, size_t n)
{
    dl_value l = dl_list_new(n);
    for (size_t i = 0; l.kind == DL_LIST && i < n; i++)
        dl_list_push(l, dl_job_value(jobs[i]));
    return l;
}

static void rdq_emit(dl_rdq *q)
{
    if (!dl_engine_wants(q->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(6);
    if (snap.kind != DL_LIST) return;
    kv(snap, "width", dl_int(dl_rdq_width(q)));
    kv(snap, "workers", dl_int(q->current_width));
    kv(snap, "pending", dl_dpq_pending(q->queue));
    kv(snap, "underway", job_list(q->underway, q->nunderway));
    kv(snap, "paused", dl_bool(q->paused));
    kv(snap, "stopped", dl_bool(q->stopped));
    dl_event ev = {
        .kind = DL_EV_STATE, .d = q->hdr.id, .text = "ResizableDispatchQueue", .value = snap};
    dl_engine_emit(q->eng, &ev);
    dl_release(snap);
}

static void rdq_destroy(dl_obj *o)
{
    dl_rdq *q = (dl_rdq *)o;
    dl_fn_release(q->fn);
    dl_obj_release(q->queue);
    dl_obj_release(q->pool);
    for (size_t i = 0; i < q->nunderway; i++)
        dl_obj_release(q->underway[i]);
    free(q->underway);
    dl_obj_release(q->reactor);
    free(q);
}

static int rdq_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_rdq *q = (const dl_rdq *)o;
    return snprintf(buf, n, "<ResizableDispatchQueue #%u width=%lld pending=%zu underway=%zu>",
                    (unsigned)q->hdr.id, (long long)dl_rdq_width(q), dl_dpq_len(q->queue),
                    q->nunderway);
}

static const dl_class rdq_class = {"ResizableDispatchQueue", rdq_destroy, rdq_repr};

static bool underway_remove(dl_rdq *q, dl_job *job)
{
    for (size_t i = 0; i < q->nunderway; i++) {
        if (q->underway[i] != job) continue;
        memmove(q->underway + i, q->underway + i + 1, (q->nunderway - i - 1) * sizeof *q->underway);
        q->nunderway--;
        dl_obj_release(job);
        return true;
    }
    return false;
}

/* ---- workers ------------------------------------------------------------ */

typedef struct worker {
    size_t refs;
    dl_rdq *q;         /* reference */
    dl_deferred *done; /* in the pool; fired when the worker stops */
    bool looping, ready;
} worker;

static void worker_unref(worker *w)
{
    if (--w->refs) return;
    dl_deferred_release(w->done);
    dl_obj_release(w->q);
    free(w);
}

static void worker_unref_fn(void *ud)
{
    worker_unref(ud);
}

static void worker_run(worker *w);

static void worker_continue(worker *w)
{
    if (w->looping)
        w->ready = true;
    else
        worker_run(w);
}

/* fn(jobarg) for maybeDeferred, holding the queue. */
static int job_fn_call(void *ud, dl_value arg, dl_value *out)
{
    return dl_fn_call(((dl_rdq *)ud)->fn, arg, out);
}

static const char *job_fn_name(void *ud)
{
    return dl_fn_name(((dl_rdq *)ud)->fn);
}

static const dl_fn_class job_fn_class = {job_fn_call, obj_ref_release, job_fn_name, "func"};

/* The end of a job, as the worker sees it: look for the next one. */
static int after_job_call(void *ud, dl_value result, dl_value *out)
{
    (void)result;
    *out = dl_none();
    worker_continue(ud);
    return 0;
}

static const dl_fn_class after_job_class = {after_job_call, worker_unref_fn, NULL, "_nextJob"};

/* Launch job: underway, fn(jobarg), and wait for its end. */
static void launch(worker *w, dl_job *job)
{
    dl_rdq *q = w->q;
    if (job->state != DL_JOB_PENDING) {
        worker_continue(w);
        return;
    }
    if (q->nunderway == q->capunderway) {
        size_t cap = q->capunderway ? q->capunderway * 2 : 8;
        dl_job **n = realloc(q->underway, cap * sizeof *n);
        if (!n) {
            worker_continue(w);
            return;
        }
        q->underway = n;
        q->capunderway = cap;
    }
    dl_obj_retain(job);
    q->underway[q->nunderway++] = job;
    job->state = DL_JOB_UNDERWAY;
    job->launched_at = dl_reactor_seconds(q->reactor);
    rdq_emit(q);
    dl_deferred *watch = dl_job_watch(job);
    dl_obj_retain(q);
    dl_deferred *d = dl_maybe_deferred(q->eng, dl_fn_make(&job_fn_class, q), job->jobarg);
    if (d) {
        job->underway = d;
        dl_obj_retain(job);
        dl_obj_retain(job);
        dl_deferred_add_callbacks(d, dl_fn_make(&job_finished_class, job),
                                  dl_fn_make(&job_failed_class, job));
    }
    if (watch) {
        w->refs += 2;
        dl_deferred_add_both(watch, dl_fn_make(&after_job_class, w),
                             dl_fn_make(&after_job_class, w));
        dl_deferred_release(watch);
    }
}

/* _launchJob on the Deferred that get() returned. */
static int got_job_call(void *ud, dl_value v, dl_value *out)
{
    worker *w = ud;
    *out = dl_none();
    dl_job *job = dl_job_of(v);
    if (is_noop(v) || !job)
        worker_continue(w);
    else
        launch(w, job);
    return 0;
}

static const dl_fn_class got_job_class = {got_job_call, worker_unref_fn, NULL, "_launchJob"};

/* One worker's loop: stop if the queue is narrowing, else wait for a job.
 * Jobs that end at once come back through `ready` instead of recursing. */
static void worker_run(worker *w)
{
    dl_rdq *q = w->q;
    w->refs++;
    w->looping = true;
    do {
        w->ready = false;
        if (q->pending_stops > 0) {
            q->pending_stops--;
            q->current_width--;
            rdq_emit(q);
            dl_deferred_callback(w->done, dl_none());
            break;
        }
        dl_deferred *g = NULL;
        if (dl_dpq_get(q->queue, &g) != 0) break;
        w->refs++;
        dl_deferred_add_callback(g, dl_fn_make(&got_job_class, w));
        dl_deferred_release(g);
    } while (w->ready);
    w->looping = false;
    worker_unref(w);
}

static int spawn_worker(dl_rdq *q)
{
    worker *w = calloc(1, sizeof *w);
    if (!w) return oom(q->eng);
    w->refs = 1;
    dl_obj_retain(q);
    w->q = q;
    w->done = dl_deferred_new(q->eng, dl_passthru());
    if (!w->done || dl_pool_add(q->pool, w->done) != 0) {
        worker_unref(w);
        return oom(q->eng);
    }
    worker_run(w);
    worker_unref(w);
    return 0;
}

/* ---- the queue -------------------------------------------------------------- */

dl_rdq *dl_rdq_new(dl_reactor *r, dl_fn fn, int64_t width)
{
    dl_engine *eng = r->eng;
    if (width < 0) {
        dl_fn_release(fn);
        dl__raisef(eng, DL_EVALUE, &dl_type_ValueError, "Queue width cannot be negative.");
        return NULL;
    }
    dl_rdq *q = calloc(1, sizeof *q);
    if (!q) {
        dl_fn_release(fn);
        oom(eng);
        return NULL;
    }
    dl_obj_init(&q->hdr, &rdq_class);
    q->hdr.id = dl_engine_next_obj_id(eng);
    q->eng = eng;
    dl_obj_retain(r);
    q->reactor = r;
    q->fn = fn;
    q->queue = dl_dpq_new(eng);
    q->pool = dl_pool_new(eng);
    if (!q->queue || !q->pool) {
        dl_obj_release(q);
        return NULL;
    }
    rdq_emit(q);
    if (width && dl_rdq_set_width(q, width) != 0) {
        dl_obj_release(q);
        return NULL;
    }
    return q;
}

int64_t dl_rdq_width(const dl_rdq *q)
{
    return q->paused ? q->paused_width : q->current_width - q->pending_stops;
}

int dl_rdq_set_width(dl_rdq *q, int64_t width)
{
    if (width < 0)
        return dl__raisef(q->eng, DL_EVALUE, &dl_type_ValueError,
                          "Queue width cannot be negative.");
    if (q->paused) {
        q->paused_width = width;
        rdq_emit(q);
        return 0;
    }
    int64_t inc = width - dl_rdq_width(q);
    int rc = 0;
    dl_obj_retain(q);
    if (inc > 0) {
        int64_t actual = inc - q->pending_stops;
        if (actual >= 0) {
            q->pending_stops = 0;
            q->current_width += actual;
            rdq_emit(q);
            for (int64_t i = 0; i < actual && rc == 0; i++)
                rc = spawn_worker(q);
        } else {
            q->pending_stops -= inc;
            rdq_emit(q);
        }
    } else if (inc < 0) {
        q->pending_stops += -inc;
        rdq_emit(q);
        /* Idle workers wait in get(): give up to -inc of them a no-op so
         * they stop now instead of taking the next job. */
        for (int64_t i = 0; i < -inc && rc == 0 && dl_dpq_waiting(q->queue); i++)
            rc = put_noop(q);
    }
    dl_obj_release(q);
    return rc;
}

/* _jobDone(result, job): the pass-through on put()'s Deferred. */
typedef struct job_done_closure {
    dl_rdq *q;   /* reference */
    dl_job *job; /* reference */
} job_done_closure;

static int job_done_call(void *ud, dl_value result, dl_value *out)
{
    job_done_closure *c = ud;
    *out = dl_retain(result);
    if (dl_dpq_delete(c->q->queue, dl_obj_value(DL_OBJ, c->job)) != 0) {
        dl_release(dl_engine_take_raised(c->q->eng));
        underway_remove(c->q, c->job);
    }
    rdq_emit(c->q);
    return 0;
}

static void job_done_release(void *ud)
{
    job_done_closure *c = ud;
    dl_obj_release(c->q);
    dl_obj_release(c->job);
    free(c);
}

static const dl_fn_class job_done_class = {job_done_call, job_done_release, NULL, "_jobDone"};

static dl_fn job_done_fn(dl_rdq *q, dl_job *job)
{
    job_done_closure *c = malloc(sizeof *c);
    if (!c) return dl_passthru();
    dl_obj_retain(q);
    dl_obj_retain(job);
    c->q = q;
    c->job = job;
    return dl_fn_make(&job_done_class, c);
}

static int queue_stopped(dl_rdq *q)
{
    return dl__raisef(q->eng, DL_ERUNTIME, &dl_type_QueueStopped, "the queue has been stopped");
}

int dl_rdq_put(dl_rdq *q, dl_value jobarg, double priority, dl_deferred **out)
{
    *out = NULL;
    if (q->stopped) return queue_stopped(q);
    dl_job *job = job_new(q->reactor, jobarg, priority);
    if (!job) return DL_ENOMEM;
    dl_deferred *d = dl_job_watch(job);
    dl_fn a = job_done_fn(q, job), b = job_done_fn(q, job);
    int rc = DL_ENOMEM;
    if (d && a.cls && b.cls) {
        rc = dl_deferred_add_both(d, a, b);
    } else {
        dl_fn_release(a);
        dl_fn_release(b);
    }
    if (rc == 0) rc = dl_dpq_put(q->queue, dl_obj_value(DL_OBJ, job), priority);
    if (rc == 0 && job->state == DL_JOB_PENDING) rdq_emit(q); /* a launch reported itself */
    dl_obj_release(job);
    if (rc) {
        if (d) dl_deferred_release(d);
        return rc == DL_ENOMEM ? oom(q->eng) : rc;
    }
    *out = d;
    return 0;
}

dl_value dl_rdq_pending(const dl_rdq *q)
{
    return dl_dpq_pending(q->queue);
}

dl_value dl_rdq_underway(const dl_rdq *q)
{
    return job_list(q->underway, q->nunderway);
}

size_t dl_rdq_pending_count(const dl_rdq *q)
{
    return dl_dpq_len(q->queue);
}

size_t dl_rdq_underway_count(const dl_rdq *q)
{
    return q->nunderway;
}

/* _drain(): wake idle workers, then wait for the pool to empty. */
static int drain(dl_rdq *q, dl_deferred **out)
{
    int rc = 0;
    while (rc == 0 && dl_dpq_waiting(q->queue))
        rc = put_noop(q);
    if (rc) return rc;
    dl_deferred *d = dl_pool_notify_when_empty(q->pool, true);
    if (!d) return DL_ENOMEM;
    if (out)
        *out = d;
    else
        dl_deferred_release(d);
    return 0;
}

int dl_rdq_pause(dl_rdq *q, dl_deferred **out)
{
    if (out) *out = NULL;
    if (!q->paused) {
        int64_t w = dl_rdq_width(q);
        int rc = dl_rdq_set_width(q, 0);
        if (rc) return rc;
        q->paused_width = w;
        q->paused = true;
        rdq_emit(q);
    }
    return drain(q, out);
}

int dl_rdq_resume(dl_rdq *q, int64_t width)
{
    if (q->stopped) return queue_stopped(q);
    if (width < 0 && width != DL_RDQ_KEEP_WIDTH)
        return dl__raisef(q->eng, DL_EVALUE, &dl_type_ValueError,
                          "Queue width cannot be negative.");
    if (width == DL_RDQ_KEEP_WIDTH) width = dl_rdq_width(q);
    q->paused = false;
    return dl_rdq_set_width(q, width);
}

static int pending_jobs_call(void *ud, dl_value ignored, dl_value *out)
{
    (void)ignored;
    *out = dl_rdq_pending(ud);
    return 0;
}

static const dl_fn_class pending_jobs_class = {pending_jobs_call, obj_ref_release, NULL, "pending"};

int dl_rdq_stop(dl_rdq *q, dl_deferred **out)
{
    *out = NULL;
    q->stopped = true;
    int rc = dl_rdq_set_width(q, 0);
    if (rc) return rc;
    dl_deferred *d = NULL;
    rc = drain(q, &d);
    if (rc) return rc;
    dl_obj_retain(q);
    dl_deferred_add_callback(d, dl_fn_make(&pending_jobs_class, q));
    *out = d;
    return 0;
}

int dl_rdq_reprioritize(dl_rdq *q, dl_job *job, double priority)
{
    if (job->state != DL_JOB_PENDING)
        return dl__raisef(q->eng, DL_ERUNTIME, &dl_type_RuntimeError,
                          "Cannot reprioritize a job that is not pending.");
    int rc = dl_dpq_reprioritize(q->queue, dl_obj_value(DL_OBJ, job), priority);
    if (rc) return rc;
    job->priority = priority;
    rdq_emit(q);
    return 0;
}

bool dl_rdq_paused(const dl_rdq *q)
{
    return q->paused;
}

bool dl_rdq_stopped(const dl_rdq *q)
{
    return q->stopped;
}

dl_rdq *dl_rdq_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &rdq_class ? (dl_rdq *)v.u.o : NULL;
}

dl_value dl_rdq_value(dl_rdq *q)
{
    dl_obj_retain(q);
    return dl_obj_value(DL_OBJ, q);
}
