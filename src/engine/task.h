/* task.h - deferLater and LoopingCall (twisted.internet.task).
 *
 * Both talk to a dl_reactor (clock.h), so they run the same on the virtual
 * Clock and on the real-time reactor. Semantics: reference section 1.6 and
 * 2.13.
 *
 * Ownership (written once, here):
 *   - Functions passed in are taken over (dl_fn); args are borrowed
 *     (retained for as long as they are needed).
 *   - Returned Deferreds and LoopingCalls are new references.
 *   - A LoopingCall holds a reference to its reactor. While it runs, its
 *     pending DelayedCall holds a reference to it, so it keeps running when
 *     the caller lets go (as in Twisted); stop() or dl_reactor_close() ends
 *     that.
 *
 * Errors: NULL / negative DL_E* codes with the Failure in the engine's raised
 * slot.
 */
#ifndef DL_TASK_H
#define DL_TASK_H

#include "clock.h"

/* deferLater(clock, delay, fn, arg): a Deferred that fires, delay seconds
 * from now, with fn(arg) -- or with None when fn is dl_passthru(). A raising
 * fn gives a Failure. cancel() cancels the DelayedCall and errbacks
 * CancelledError. NULL on OOM. */
dl_deferred *dl_defer_later(dl_reactor *r, double delay, dl_fn fn, dl_value arg);

/* ---- LoopingCall -------------------------------------------------------- */

typedef struct dl_looping_call dl_looping_call;

/* LoopingCall(fn, arg). The reactor must be set (dl_looping_call_set_clock)
 * before start(). NULL on OOM. */
dl_looping_call *dl_looping_call_new(dl_engine *eng, dl_fn fn, dl_value arg);
/* LoopingCall.withCount(fn): fn receives, instead of an argument, the
 * number of intervals (DL_INT) that elapsed since it last ran. */
dl_looping_call *dl_looping_call_with_count(dl_engine *eng, dl_fn fn);

/* lc.clock = r (r retained, the previous one released). */
void dl_looping_call_set_clock(dl_looping_call *lc, dl_reactor *r);
dl_reactor *dl_looping_call_clock(const dl_looping_call *lc); /* borrowed */

/* start(interval, now): *out gets the Deferred that fires with the
 * LoopingCall (a DL_OBJ value) on stop(), or errbacks with the failure of
 * fn (a raise, or a failed returned Deferred). Errors: DL_EASSERTION when
 * already running, DL_EVALUE (ValueError "interval must be >= 0") for a
 * negative interval, DL_EINVAL when no clock is set. With now, fn runs
 * inside this call. */
int dl_looping_call_start(dl_looping_call *lc, double interval, bool now, dl_deferred **out);
/* stop(): DL_EASSERTION when not running. */
int dl_looping_call_stop(dl_looping_call *lc);
/* reset(): skip the next iteration and restart the timer from now.
 * DL_EASSERTION when not running. */
int dl_looping_call_reset(dl_looping_call *lc);

bool dl_looping_call_running(const dl_looping_call *lc);
double dl_looping_call_interval(const dl_looping_call *lc);
/* The pending DelayedCall (borrowed), or NULL. */
dl_delayed_call *dl_looping_call_pending(const dl_looping_call *lc);

dl_looping_call *dl_looping_call_of(dl_value v);
dl_value dl_looping_call_value(dl_looping_call *lc); /* new reference */

#endif
