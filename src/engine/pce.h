/* pce.h - DeferredParallelCommandExecutor (the seed blog's txdpce): run
 * every registered way of computing a result at once; the first success
 * wins and the others are cancelled.
 *
 *   x = DeferredParallelCommandExecutor()
 *   x.registerFunction(fromCache); x.registerFunction(fromNetwork)
 *   d = x.execute(arg)
 *
 * execute(arg) calls every function (maybeDeferred, in registration order,
 * all inside the call), puts the Deferreds in a DeferredList with
 * fireOnOneCallback and consumeErrors, and adds one callback to it: on the
 * first success it cancels every other function's Deferred and gives the
 * value; when all failed it fails with ParallelCommandException whose args
 * are {a DL_LIST of the failures, in registration order} and whose message
 * is the repr of that list.
 *
 * Decision where the seed differs from this project's contract: execute()
 * with no function registered is DL_EVALUE, a ValueError saying "No
 * execution functions have been registered." (the seed raised RuntimeError).
 *
 * Ownership (written once, here): dl_pce_new returns a reference you own;
 * register takes ownership of the function (the executor keeps it and calls
 * it once per execute). execute borrows arg and returns a new reference.
 * Each execution's callback holds a reference to the executor until the
 * execution ends.
 *
 * Events: DL_EV_STATE "DeferredParallelCommandExecutor" on creation and
 * after every change:
 *   {"functions", {names}}, {"running", executions in progress},
 *   {"winner", index of the last execution's winner (0-based) | nil},
 *   {"cancelled", {indices the last execution cancelled}}
 */
#ifndef DL_PCE_H
#define DL_PCE_H

#include "deferred.h"

typedef struct dl_pce dl_pce;

dl_pce *dl_pce_new(dl_engine *eng);
/* registerFunction(fn): 0 or DL_ENOMEM (fn released). */
int dl_pce_register(dl_pce *x, dl_fn fn);
/* execute(arg): *out gets the Deferred of the first success. */
int dl_pce_execute(dl_pce *x, dl_value arg, dl_deferred **out);
size_t dl_pce_functions(const dl_pce *x);
/* Executions whose Deferred has not fired yet. */
size_t dl_pce_running(const dl_pce *x);

dl_pce *dl_pce_of(dl_value v);
dl_value dl_pce_value(dl_pce *x); /* new reference */

#endif
