/* retry.h - RetryingCall and simpleBackoffIterator (the seed blog's "retry a
 * call that fails transiently", for S3's 504s and Twitter's 5xx).
 *
 *   r = RetryingCall(f, arg)
 *   d = r.start(backoff, failureTester)
 *
 * start() takes the first delay from the backoff iterator and calls
 * f(arg) that many seconds later (deferLater on the reactor, so it is
 * deterministic on the virtual Clock). A success fires d. A failure is
 * remembered if it is the first one, then given to failureTester: if the
 * tester raises or returns a Failure, d fails with that; otherwise the next
 * delay is taken and f is called again. When the iterator runs out, d fails
 * with the FIRST failure (the very same Failure object).
 *
 * Decisions where the seed was vague:
 *   - A backoff that yields nothing at all makes start() fail at once with
 *     ValueError (the seed would errback with a stray StopIteration).
 *   - A backoff iterator that raises fails d with that failure (when it
 *     raises for the very first delay, start() returns DL_ERAISED instead).
 *   - Cancelling d stops the retrying: the pending try is cancelled (its
 *     DelayedCall, or the Deferred f returned) and d fails with
 *     CancelledError.
 *   - start() while a previous start() is still running is DL_ERUNTIME.
 *
 * Ownership (written once, here): constructors return references you own.
 * dl_retrying_call_new takes ownership of fn and borrows arg (retained);
 * start takes ownership of the backoff and the tester. The call holds a
 * reference to its reactor. While it runs, the Deferred of the try in
 * flight holds a reference to the call.
 *
 * Errors: negative DL_E* with the Failure in the engine's raised slot.
 *
 * Events: DL_EV_STATE "RetryingCall" on creation and after every change:
 *   {"attempts", n}  calls of f so far (this start)
 *   {"nextDelay", seconds | nil}  the delay before the try now scheduled
 *   {"failure", the first failure | nil}
 *   {"running", bool}
 */
#ifndef DL_RETRY_H
#define DL_RETRY_H

#include "clock.h"

/* ---- backoff iterators --------------------------------------------------- */

typedef struct dl_backoff_class {
    /* The next delay: return 1 with *delay set, 0 when exhausted (and from
     * then on), or DL_ERAISED with a failure (new reference) in *failure. */
    int (*next)(void *ud, double *delay, dl_value *failure);
    void (*release)(void *ud); /* frees ud (NULL: nothing to free) */
} dl_backoff_class;

typedef struct dl_backoff {
    const dl_backoff_class *cls; /* NULL: "none given" (start uses the default) */
    void *ud;
} dl_backoff;

static inline dl_backoff dl_backoff_none(void)
{
    dl_backoff b = {NULL, NULL};
    return b;
}
int dl_backoff_next(dl_backoff b, double *delay, dl_value *failure);
void dl_backoff_release(dl_backoff b);

/* simpleBackoffIterator(maxResults, maxDelay, now, initDelay, incFunc):
 * with now, 0.0 first; then initDelay, incFunc(initDelay), ... each capped
 * at maxDelay, maxResults delays in all. inc (taken over) is called with the
 * previous delay (DL_NUM) and must return a number; dl_passthru() doubles.
 * The defaults (10, 120, true, 0.01, doubling) give 0.0, 0.01, 0.02, 0.04,
 * 0.08, 0.16, 0.32, 0.64, 1.28, 2.56. DL_EASSERTION when max_results < 1. */
#define DL_BACKOFF_DEFAULT_MAX_RESULTS 10
#define DL_BACKOFF_DEFAULT_MAX_DELAY   120.0
#define DL_BACKOFF_DEFAULT_INIT_DELAY  0.01
int dl_simple_backoff(dl_engine *eng, int64_t max_results, double max_delay, bool now,
                      double init_delay, dl_fn inc, dl_backoff *out);
/* An iterator over a copy of delays[0..n). */
int dl_backoff_from_list(dl_engine *eng, const double *delays, size_t n, dl_backoff *out);

/* ---- RetryingCall --------------------------------------------------------- */

typedef struct dl_retrying_call dl_retrying_call;

dl_retrying_call *dl_retrying_call_new(dl_reactor *r, dl_fn fn, dl_value arg);
/* start(backoff, failureTester): *out gets the Deferred of the eventual
 * result. backoff.cls NULL: simpleBackoffIterator(). tester dl_passthru():
 * retry every failure. The first try is scheduled inside this call. */
int dl_retrying_call_start(dl_retrying_call *rc, dl_backoff backoff, dl_fn failure_tester,
                           dl_deferred **out);
/* Calls of f since the last start. */
int64_t dl_retrying_call_attempts(const dl_retrying_call *rc);
/* The first failure of the current/last run (borrowed), or DL_NONE. */
dl_value dl_retrying_call_failure(const dl_retrying_call *rc);
bool dl_retrying_call_running(const dl_retrying_call *rc);

dl_retrying_call *dl_retrying_call_of(dl_value v);
dl_value dl_retrying_call_value(dl_retrying_call *rc); /* new reference */

#endif
