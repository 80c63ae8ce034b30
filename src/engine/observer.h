/* observer.h - DeferredListObserver (the seed blog's txdlo).
 *
 * Watches a growing list of Deferreds and tells observers about each one
 * that fires:
 *
 *   dlo = DeferredListObserver(maintainHistory=True)
 *   dlo.append(d)                   -- at any time, even after others fired
 *   dlo.observe(fn)                 -- fn(index, success, value) per firing
 *   dlo.pendingCount, dlo.successCount, dlo.failureCount, dlo.history
 *
 * append(d) adds one pass-through pair to d: it updates the counts, records
 * the event in the history (when maintained), then calls every observer in
 * the order they were added, and finally hands d's result on unchanged. An
 * already-fired d reports inside append(). Observers added later are not
 * told about earlier events (the history is there for that).
 *
 * Indices are 0-based here, in append order (the Lua binding adds 1).
 *
 * An observer is a dl_fn called with one argument, the 3-element DL_LIST
 * {index (DL_INT), success (DL_BOOL), value}. Its return value is ignored.
 * If it raises, its failure becomes d's result and the observers after it
 * are not called for that event (what the seed's plain loop would do).
 *
 * Ownership (written once, here): dl_dlo_new returns a reference you own.
 * The observer does not keep the Deferreds; each pair added to one holds a
 * reference to the observer until it runs. dl_dlo_observe takes ownership of
 * the function.
 *
 * Errors: negative DL_E* with the Failure in the raised slot (DL_ENOMEM).
 *
 * Events: DL_EV_STATE "DeferredListObserver" on creation and after every
 * change: {"pendingCount", n}, {"successCount", n}, {"failureCount", n},
 * {"observers", n}, {"history", {{index, success, value}, ...} | nil}.
 */
#ifndef DL_OBSERVER_H
#define DL_OBSERVER_H

#include "deferred.h"

typedef struct dl_dlo dl_dlo;

dl_dlo *dl_dlo_new(dl_engine *eng, bool maintain_history);
/* append(d): the index given to d (>= 0), or a negative DL_E* code. */
int64_t dl_dlo_append(dl_dlo *o, dl_deferred *d);
/* observe(fn): 0 or DL_ENOMEM (fn released). */
int dl_dlo_observe(dl_dlo *o, dl_fn fn);

size_t dl_dlo_pending_count(const dl_dlo *o);
size_t dl_dlo_success_count(const dl_dlo *o);
size_t dl_dlo_failure_count(const dl_dlo *o);
/* Number of Deferreds appended so far. */
size_t dl_dlo_count(const dl_dlo *o);
/* The history (borrowed DL_LIST of {index, success, value}, in firing
 * order), or DL_NONE when it is not maintained. */
dl_value dl_dlo_history(const dl_dlo *o);

dl_dlo *dl_dlo_of(dl_value v);
dl_value dl_dlo_value(dl_dlo *o); /* new reference */

#endif
