/* controllable.h - ControllableDeferred (the seed blog's "yet another
 * cancelable Deferred"): wrap a Deferred you do not control in one you do.
 *
 *   c = ControllableDeferred(d)
 *   c.addCallback(...)                  -- on c's own Deferred
 *   c.callback(v) / c.errback(f) / c.cancel()
 *
 * c has its own Deferred (dl_controllable_deferred). Whichever happens
 * first decides its result:
 *   - you fire it (callback / errback / cancel): c's Deferred fires with
 *     that (cancel: CancelledError), then d is cancelled, and whatever d
 *     later produces is ignored (swallowed: it becomes None in d's chain,
 *     so a CancelledError there is never reported as unhandled);
 *   - d fires: its result is handed to c's Deferred, and d's own chain
 *     continues with None (as chainDeferred would leave it).
 * Once c has fired, further callback / errback / cancel calls do nothing
 * (return 0), as in the seed. pause / unpause act on both Deferreds.
 * Cancelling c's Deferred directly (dl_deferred_cancel) is the same as
 * c.cancel() (its canceller cancels d).
 *
 * Decision where the seed was vague: the seed hands d's result over with
 * chainDeferred *inside* a callback that returns None, so c would receive
 * None; here c receives d's actual result, which is what its docstring
 * promises.
 *
 * Ownership (written once, here): dl_controllable_new returns a reference
 * you own. It holds references to both Deferreds; the pair added to d holds
 * a reference to c until d fires. dl_controllable_deferred is borrowed.
 *
 * Errors: negative DL_E* with the Failure in the raised slot (DL_ETYPE for
 * an errback value that is neither a failure nor an exception; DL_EASSERTION
 * for callback with a Deferred).
 *
 * Events: DL_EV_STATE "ControllableDeferred" on creation and after every
 * change: {"deferred", c's Deferred}, {"original", d}, {"fired", bool},
 * {"by", "original" | "callback" | "errback" | "cancel" | nil}.
 */
#ifndef DL_CONTROLLABLE_H
#define DL_CONTROLLABLE_H

#include "deferred.h"

typedef struct dl_controllable dl_controllable;

/* ControllableDeferred(d). NULL on OOM. If d has already fired, c's
 * Deferred fires inside this call. */
dl_controllable *dl_controllable_new(dl_deferred *original);
/* c's own Deferred (borrowed): add callbacks to it. */
dl_deferred *dl_controllable_deferred(const dl_controllable *c);
dl_deferred *dl_controllable_original(const dl_controllable *c);
bool dl_controllable_fired(const dl_controllable *c);

int dl_controllable_callback(dl_controllable *c, dl_value v);
int dl_controllable_errback(dl_controllable *c, dl_value failure_or_exception);
int dl_controllable_cancel(dl_controllable *c);
void dl_controllable_pause(dl_controllable *c);
void dl_controllable_unpause(dl_controllable *c);

dl_controllable *dl_controllable_of(dl_value v);
dl_value dl_controllable_value(dl_controllable *c); /* new reference */

#endif
