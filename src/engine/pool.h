/* pool.h - DeferredPool: a set of in-flight Deferreds and "tell me when it
 * is empty" (the seed blog's graceful-shutdown helper, also used inside the
 * ResizableDispatchQueue).
 *
 *   pool = DeferredPool()
 *   pool.add(d)                       -- d leaves the pool when it fires
 *   pool.notifyWhenEmpty()            -- Deferred firing with None when empty
 *
 * add(d) puts d into the pool and adds one pass-through pair (addBoth) to it
 * that takes d out again when it fires; d's result is not touched. When the
 * pool becomes empty, every waiter returned by notifyWhenEmpty fires with
 * None, in the order they asked.
 *
 * Decisions where the seed was vague:
 *   - d joins the pool *before* the pass-through is added, so a Deferred that
 *     has already fired passes straight through (the seed's order would make
 *     it raise KeyError and stay in the pool for ever).
 *   - Adding a Deferred that is already in the pool changes nothing.
 *   - A waiter may be cancelled: it leaves the waiting list (CancelledError).
 *
 * Ownership (written once, here): dl_pool_new returns a reference you own
 * (dl_obj_release it). The pool holds a reference to each pooled Deferred
 * and each waiter; each pass-through pair and each waiter's canceller holds
 * one to the pool. Returned Deferreds are new references.
 *
 * Errors: NULL / negative DL_E* with the Failure in the engine's raised slot
 * (RuntimeError / DL_ENOMEM when out of memory).
 *
 * Events: DL_EV_STATE "DeferredPool" on creation and after every change:
 *   {"size", n}, {"pool", {Deferreds}}, {"waiting", {Deferreds}}
 * A change is reported before the waiters it concerns are fired.
 */
#ifndef DL_POOL_H
#define DL_POOL_H

#include "deferred.h"

typedef struct dl_pool dl_pool;

dl_pool *dl_pool_new(dl_engine *eng);
/* add(d): 0, or DL_ENOMEM (d not added). */
int dl_pool_add(dl_pool *p, dl_deferred *d);
/* notifyWhenEmpty(testImmediately): succeed(None) when the pool is empty and
 * test_immediately; otherwise a Deferred that fires with None the next time
 * the pool becomes empty. NULL on OOM. */
dl_deferred *dl_pool_notify_when_empty(dl_pool *p, bool test_immediately);
/* Number of pooled (unfired) Deferreds. */
size_t dl_pool_size(const dl_pool *p);
/* Number of notifyWhenEmpty Deferreds still waiting. */
size_t dl_pool_waiting(const dl_pool *p);
/* Is d in the pool? */
bool dl_pool_contains(const dl_pool *p, const dl_deferred *d);

dl_pool *dl_pool_of(dl_value v);
dl_value dl_pool_value(dl_pool *p); /* new reference */

#endif
