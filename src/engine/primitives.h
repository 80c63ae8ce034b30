/* primitives.h - DeferredQueue, DeferredLock, DeferredSemaphore.
 *
 * Twisted's synchronous, FIFO primitives (reference 1.4, 2.11), built only
 * from public Deferred operations. Each is a heap object (dl_obj) that can be
 * carried as a DL_OBJ value -- an acquired lock's Deferred fires with the lock
 * itself.
 *
 * Ownership (written once, here):
 *   - Constructors return a reference you own: dl_obj_release it (or
 *     dl_release its DL_OBJ value).
 *   - A structure holds a reference to each waiting Deferred; each waiting
 *     Deferred's canceller holds a reference to the structure.
 *   - Deferreds returned by get/acquire/run are new references.
 *   - Items put into a queue are retained (put borrows its argument).
 *
 * Errors: 0 / NULL plus a negative DL_E* code with the Failure in the
 * engine's raised slot:
 *   QueueOverflow (DL_EQUEUEOVERFLOW), QueueUnderflow (DL_EQUEUEUNDERFLOW),
 *   AssertionError (DL_EASSERTION) for releasing too often,
 *   ValueError (DL_EVALUE) for a semaphore with tokens < 1,
 *   RuntimeError (DL_ENOMEM) when out of memory.
 *
 * Events: a DL_EV_STATE on creation and after every change (see event.h):
 *   DeferredQueue      {"pending", {items}}, {"waiting", {Deferreds}},
 *                      {"size", n|nil}, {"backlog", n|nil}
 *   DeferredLock       {"locked", bool}, {"waiting", {Deferreds}}
 *   DeferredSemaphore  {"tokens", n}, {"limit", n}, {"waiting", {Deferreds}}
 * A change is reported before the Deferred it concerns is fired, so the
 * trace shows a hand-off before the callbacks it starts.
 */
#ifndef DL_PRIMITIVES_H
#define DL_PRIMITIVES_H

#include "deferred.h"

/* ---- DeferredQueue ------------------------------------------------------ */

typedef struct dl_queue dl_queue;

/* DeferredQueue(size, backlog); -1 means None (unbounded). Other negative
 * values are DL_EINVAL (ValueError). */
dl_queue *dl_queue_new(dl_engine *eng, int64_t size, int64_t backlog);
/* put(v): to the first waiting getter (its callbacks run now, no size
 * check), else to pending, else DL_EQUEUEOVERFLOW. v is borrowed. */
int dl_queue_put(dl_queue *q, dl_value v);
/* get(): succeed(first pending), else a waiting Deferred (cancelling it
 * removes it), else DL_EQUEUEUNDERFLOW. *out gets a new reference. */
int dl_queue_get(dl_queue *q, dl_deferred **out);
/* Borrowed DL_LIST of pending items. */
dl_value dl_queue_pending(const dl_queue *q);
size_t dl_queue_waiting(const dl_queue *q);
int64_t dl_queue_size(const dl_queue *q);    /* -1: None */
int64_t dl_queue_backlog(const dl_queue *q); /* -1: None */
dl_queue *dl_queue_of(dl_value v);
dl_value dl_queue_value(dl_queue *q); /* new reference */

/* ---- DeferredLock ------------------------------------------------------- */

typedef struct dl_lock dl_lock;

dl_lock *dl_lock_new(dl_engine *eng);
/* acquire(): fires at once with the lock (a DL_OBJ value) if unlocked,
 * else waits (FIFO). NULL only on OOM. */
dl_deferred *dl_lock_acquire(dl_lock *l);
/* release(): hands the lock to the first waiter inside this call.
 * DL_EASSERTION "Tried to release an unlocked lock". */
int dl_lock_release(dl_lock *l);
/* run(fn, arg): acquire().addCallback(lambda _: maybeDeferred(fn, arg)
 * .addBoth(release-and-return)). Takes ownership of fn. NULL on OOM, or
 * DL_ETYPE (TypeError) when fn is dl_passthru() (Python's run() without f). */
dl_deferred *dl_lock_run(dl_lock *l, dl_fn fn, dl_value arg);
bool dl_lock_locked(const dl_lock *l);
size_t dl_lock_waiting(const dl_lock *l);
dl_lock *dl_lock_of(dl_value v);
dl_value dl_lock_value(dl_lock *l); /* new reference */

/* ---- DeferredSemaphore -------------------------------------------------- */

typedef struct dl_semaphore dl_semaphore;

/* DeferredSemaphore(tokens): DL_EVALUE "DeferredSemaphore requires
 * tokens >= 1" when tokens < 1. */
dl_semaphore *dl_semaphore_new(dl_engine *eng, int64_t tokens);
dl_deferred *dl_semaphore_acquire(dl_semaphore *s);
/* DL_EASSERTION "Someone released me too many times: too many tokens!" */
int dl_semaphore_release(dl_semaphore *s);
dl_deferred *dl_semaphore_run(dl_semaphore *s, dl_fn fn, dl_value arg);
int64_t dl_semaphore_tokens(const dl_semaphore *s);
int64_t dl_semaphore_limit(const dl_semaphore *s);
size_t dl_semaphore_waiting(const dl_semaphore *s);
dl_semaphore *dl_semaphore_of(dl_value v);
dl_value dl_semaphore_value(dl_semaphore *s); /* new reference */

#endif
