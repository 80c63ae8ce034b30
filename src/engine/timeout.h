/* timeout.h - Deferred.addTimeout(timeout, clock, onTimeoutCancel).
 *
 * Exactly Twisted 22.4's (reference 2.12), from public operations only:
 *   timedOut = false
 *   call = clock.callLater(timeout, lambda: (timedOut = true, d.cancel()))
 *   d.addBoth(convertCancelled)  -- if timedOut: onTimeoutCancel(value, timeout)
 *   d.addBoth(cancelTimeout)     -- if call.active(): call.cancel()
 *
 * The default onTimeoutCancel traps CancelledError and raises
 * TimeoutError with args {timeout, "Deferred"} and message
 * "(10, 'Deferred')" (Python's str of that tuple); any other Failure and
 * any plain value pass through.
 */
#ifndef DL_TIMEOUT_H
#define DL_TIMEOUT_H

#include "clock.h"

/* Add the timeout to d. timeout is a DL_INT or DL_NUM (kept as given, so
 * the TimeoutError's args show what the caller passed); anything else is
 * DL_ETYPE. on_timeout_cancel (taken over; dl_passthru() for the default)
 * is called, only when the timeout fired, with the single argument
 * {value, timeout} (a 2-element DL_LIST) and its return value or failure
 * becomes d's result. Returns 0 (d is Twisted's return value), or a DL_E*
 * code with nothing added (DL_EINVAL when clock is NULL). */
int dl_deferred_add_timeout(dl_deferred *d, dl_reactor *clock, dl_value timeout,
                            dl_fn on_timeout_cancel);

/* The default onTimeoutCancel as a plain function (Twisted's
 * _cancelledToTimedOutError): returns the new result (new reference). */
dl_value dl_cancelled_to_timed_out(dl_value value, dl_value timeout);

#endif
