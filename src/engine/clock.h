/* clock.h - time: the reactor interface, DelayedCall, and the virtual Clock.
 *
 * Everything that needs time (deferLater, LoopingCall, addTimeout, the blog's
 * RetryingCall ...) talks to a dl_reactor, never to a concrete clock. Two
 * implementations exist: the deterministic virtual Clock below (lessons,
 * challenges, tests) and a libuv-backed one in src/loop.
 *
 * The DelayedCall logic (cancel / reset / delay / active / getTime and their
 * AlreadyCancelled / AlreadyCalled errors, the CALL_* events) is shared and
 * lives here; an implementation only keeps its calls in order and runs them
 * when due, through a small vtable.
 *
 * Ownership (written once, here):
 *   - dl_clock_new / dl_reactor_call_later return a reference you own;
 *     release it with dl_obj_release (or dl_release of the DL_OBJ value).
 *   - A reactor holds one reference to each *pending* call and drops it when
 *     the call runs or is cancelled. A call's fn and arg are released as soon
 *     as the call has run or been cancelled (this breaks the cycles
 *     deferLater and LoopingCall would otherwise make).
 *   - A call does not keep its reactor alive. When a reactor dies its pending
 *     calls are dropped: they become inactive (cancelled, with no event).
 *   - dl_reactor_call_later takes ownership of fn and borrows arg.
 *   - dl_engine_free closes every live reactor first (pending calls are
 *     dropped, with no event), so calls holding Deferreds never outlive
 *     the engine's teardown.
 *
 * Errors are negative DL_E* codes with the Failure in the engine's raised
 * slot (AlreadyCancelled: DL_EDCCANCELLED, AlreadyCalled: DL_EDCCALLED).
 */
#ifndef DL_CLOCK_H
#define DL_CLOCK_H

#include "deferred.h"

typedef struct dl_reactor dl_reactor;
typedef struct dl_delayed_call dl_delayed_call;

/* What an implementation provides. `self` is the reactor. */
typedef struct dl_reactor_ops {
    /* Current time in seconds (Clock: its virtual now). */
    double (*seconds)(dl_reactor *self);
    /* A new call c (time set, retained for the reactor by the caller) must
     * be kept until it is due. Return 0 or a DL_E* code (raised slot set);
     * on error the caller drops its reference. */
    int (*insert)(dl_reactor *self, dl_delayed_call *c);
    /* A pending call was cancelled: forget it and release the reference the
     * reactor held. */
    void (*remove)(dl_reactor *self, dl_delayed_call *c);
    /* reset()/delay() moved a pending call earlier (Twisted's "resetter";
     * the Clock does nothing here and re-sorts when it advances). */
    void (*moved)(dl_reactor *self, dl_delayed_call *c);
    /* Drop every pending call (dl__delayed_call_drop each): the reactor is
     * being closed or destroyed. */
    void (*drop_all)(dl_reactor *self);
} dl_reactor_ops;

/* Header of every reactor. Embed it first in the implementation's struct.
 * hdr.id is the reactor's structure id (events' `d`). */
struct dl_reactor {
    dl_obj hdr;                /* public read-only; class = the implementation */
    const dl_reactor_ops *ops; /* private */
    dl_engine *eng;            /* public read-only */
};

/* A scheduled call (Twisted's twisted.internet.base.DelayedCall).
 * hdr.id is the call's id (events' `other`). */
struct dl_delayed_call {
    dl_obj hdr;          /* public read-only */
    double time;         /* read-only: scheduled time before delay() */
    double delayed_time; /* read-only: pending delay() amount */
    uint8_t called;      /* read-only: 1 once it started running */
    uint8_t cancelled;   /* read-only: 1 once cancelled */
    dl_reactor *reactor; /* private: not a reference; NULL once inactive */
    dl_fn fn;            /* private: released when it ran or was cancelled */
    dl_value arg;        /* private: owned; passed to fn */
    uint64_t seq;        /* private: creation order (for implementations) */
    dl_engine *eng;      /* private: where errors are raised */
};

/* ---- the generic reactor API ------------------------------------------- */

/* Initialise the header of a new reactor (for implementations). The
 * reactor gets a structure id from the engine, and cls is remembered as a
 * reactor class so dl_reactor_of recognises it (at most 8 classes). */
void dl__reactor_init(dl_reactor *r, const dl_class *cls, const dl_reactor_ops *ops,
                      dl_engine *eng);
/* Undo what dl__reactor_init registered with the engine; call from destroy. */
void dl__reactor_fini(dl_reactor *r);

double dl_reactor_seconds(dl_reactor *r);

/* Drop every pending call without running it (no events), releasing their
 * functions. A host calls this at the end of a run: a running LoopingCall
 * and its clock keep each other alive (as in Twisted, where the garbage
 * collector breaks such cycles), and closing the reactor breaks the cycle.
 * The reactor stays usable. */
void dl_reactor_close(dl_reactor *r);

/* callLater(delay, fn, arg): fn(arg) runs once, at seconds() + delay.
 * A negative delay is allowed (a time in the past), as in Twisted's Clock.
 * Takes ownership of fn; arg is borrowed. Returns a new reference, or NULL
 * (fn released, failure in the raised slot) on error. */
dl_delayed_call *dl_reactor_call_later(dl_reactor *r, double delay, dl_fn fn, dl_value arg);

/* Run a due call (for implementations): marks it called (before running,
 * as Twisted does), emits CALL_RAN (before fn, so the events fn causes
 * follow it), runs fn(arg), then releases fn, arg and the reactor's claim. The implementation must
 * already have taken c out of its pending set and passes in the reference
 * it held (this function consumes it). Returns 0, or DL_ERAISED when fn
 * raised (failure in the raised slot). */
int dl__delayed_call_run(dl_delayed_call *c);

/* Mark c inactive without running it, because its reactor is going away
 * (for implementations; emits nothing). Consumes the reactor's reference. */
void dl__delayed_call_drop(dl_delayed_call *c);

/* DelayedCall.getTime(): time + delayed_time. */
double dl_delayed_call_get_time(const dl_delayed_call *c);
/* DelayedCall.active(): neither cancelled nor called. */
bool dl_delayed_call_active(const dl_delayed_call *c);
/* cancel(): DL_EDCCANCELLED / DL_EDCCALLED when not active. Emits
 * CALL_CANCELLED; reset/delay emit CALL_MOVED with num = the new getTime(). */
int dl_delayed_call_cancel(dl_delayed_call *c);
/* reset(secondsFromNow): run at seconds() + s instead. Same errors. */
int dl_delayed_call_reset(dl_delayed_call *c, double seconds_from_now);
/* delay(secondsLater): push it back (or forward, if negative). Same errors. */
int dl_delayed_call_delay(dl_delayed_call *c, double seconds_later);
/* The display name of the function (valid while the call is active). */
const char *dl_delayed_call_name(const dl_delayed_call *c);

/* The call inside a DL_OBJ value, or NULL. */
dl_delayed_call *dl_delayed_call_of(dl_value v);
/* A DL_OBJ value for c (new reference). */
dl_value dl_delayed_call_value(dl_delayed_call *c);
/* The reactor inside a DL_OBJ value (a Clock or any other), or NULL. */
dl_reactor *dl_reactor_of(dl_value v);
/* A DL_OBJ value for r (new reference). */
dl_value dl_reactor_value(dl_reactor *r);

/* ---- the virtual Clock (twisted.internet.task.Clock) -------------------- */

typedef struct dl_clock dl_clock;

/* A new Clock at time 0.0. NULL on OOM (raised slot set). */
dl_clock *dl_clock_new(dl_engine *eng);
/* The Clock as a reactor (same object). */
static inline dl_reactor *dl_clock_reactor(dl_clock *c)
{
    return (dl_reactor *)c;
}
/* The Clock inside a value, or NULL (also NULL for a non-Clock reactor). */
dl_clock *dl_clock_of(dl_value v);

/* seconds(). */
double dl_clock_seconds(const dl_clock *c);
/* A dl_now_fn for the engine, so events carry virtual time:
 *     eng->now = dl_clock_now; eng->now_ud = clock;
 * The Clock clears the hook when it is destroyed while installed. */
double dl_clock_now(void *clock);

/* advance(amount): now += amount first, then run every call with
 * getTime() <= now in time order (FIFO among equal times, as Twisted's
 * stable sort). Calls scheduled meanwhile for a time already reached run in
 * the same advance. Emits CLOCK_ADVANCE before running anything. Returns 0,
 * or DL_ERAISED when a call raised: that failure is in the raised slot and
 * the remaining calls stay queued. */
int dl_clock_advance(dl_clock *c, double amount);
/* pump(amounts): advance by each in turn; stops at the first error. */
int dl_clock_pump(dl_clock *c, const double *amounts, size_t n);

/* getDelayedCalls(): the pending calls, in the Clock's list order. Borrowed
 * pointers, valid until the next change; *n receives the count. */
dl_delayed_call *const *dl_clock_calls(const dl_clock *c, size_t *n);

#endif
