/* event.h - the observable steps the engine reports.
 *
 * Everything the workbench shows is folded from this stream (see
 * docs/architecture.md). The engine calls one observer per engine for every
 * event, synchronously, at the moment the step happens. Pointers and values
 * inside an event are borrowed: valid only during the observer call. An
 * observer that keeps anything must copy it (the trace layer renders values
 * to text at once).
 *
 * When no observer is installed the engine builds no events at all, and it
 * builds none of the kinds the observer leaves out of dl_engine.listen (a
 * quiet run listens to output and unhandled errors only, so a callback
 * costs no event, no location lookup and no repr).
 *
 * Ids: `d` and `other` name Deferreds (dl_deferred ids), except in STATE and
 * CLOCK_* / CALL_* events, where `d` is a *structure* id (queue, lock, clock,
 * pool ..., from dl_engine_next_obj_id) and `other` a delayed-call id.
 *
 * STATE events describe a structure completely, so a viewer can draw it from
 * the latest STATE alone: text = its class ("DeferredQueue", "Clock" ...),
 * name = its label or NULL, value = a DL_LIST of {key, value} 2-element
 * lists, keys being strings ("pending", "waiting", "tokens" ...). A list of
 * Deferreds appears as a list of Deferred values. One STATE is emitted when
 * a structure is created and one after every change to it.
 */
#ifndef DL_EVENT_H
#define DL_EVENT_H

#include "value.h"

/* X(NAME, "wire-name", meaning) -- the wire name is what trace files carry. */
#define DL_EVENT_KINDS(X)                                                                          \
    X(CREATED, "created", "a Deferred was created (text: its class name)")                         \
    X(LABEL, "label", "a Deferred was given a display name (text)")                                \
    X(ADDED, "added", "a callback pair was added (index, name=callback, name2=errback)")           \
    X(FIRED, "fired", "callback/errback was called (value; text: callback|errback|cancel)")        \
    X(CALL, "call", "a callback or errback is entered (index, slot, name, value=input)")           \
    X(RETURN, "return", "it returned (value; flag 1 when it raised)")                              \
    X(PASS, "pass", "a pair was passed over: no function on this track (index, slot)")             \
    X(PAUSED, "paused", "pause counter changed upward (count)")                                    \
    X(UNPAUSED, "unpaused", "pause counter changed downward (count)")                              \
    X(WAITING, "waiting", "d waits on other: its callback returned an unfired Deferred")           \
    X(HANDOFF, "handoff", "other hands its result (value) to the waiting d")                       \
    X(STOLEN, "stolen", "d took the ready result (value) of the returned Deferred other")          \
    X(CHAINED, "chained", "d.chainDeferred(other)")                                                \
    X(CANCEL, "cancel", "cancel() was called on d")                                                \
    X(CANCELLER, "canceller", "d's canceller is called (name)")                                    \
    X(CANCELLER_RAISED, "canceller-raised", "the canceller raised (value)")                        \
    X(SUPPRESSED, "suppressed", "a late fire after cancel() was swallowed")                        \
    X(ALREADY_CALLED, "already-called", "a second fire raised AlreadyCalledError")                 \
    X(REFUSED, "refused", "an operation was refused (text says why)")                              \
    X(UNHANDLED, "unhandled", "an unhandled Failure was reported (value; name: d's label)")        \
    X(WARNING, "warning", "a warning (text), e.g. a callback returned its own Deferred")           \
    X(STATE, "state", "a structure changed (obj, text: structure kind, value: state snapshot)")    \
    X(CLOCK_ADVANCE, "clock-advance", "a clock moved to a new time (obj, num=new time)")           \
    X(CALL_SCHEDULED, "call-scheduled", "callLater (obj=clock, other=call id, num=time, name)")    \
    X(CALL_RAN, "call-ran", "a delayed call ran (obj, other, name)")                               \
    X(CALL_CANCELLED, "call-cancelled", "a delayed call was cancelled (obj, other)")               \
    X(CALL_MOVED, "call-moved", "reset()/delay() moved a delayed call (obj, other, num)")          \
    X(CELL, "cell", "a lesson cell begins (count: its 1-based number; file, line: its code)")      \
    X(NOTE, "note", "an annotation from the script (text)")                                        \
    X(OUTPUT, "output", "the script printed a line (text)")

typedef enum {
#define DL_EV_ENUM(name, wire, doc) DL_EV_##name,
    DL_EVENT_KINDS(DL_EV_ENUM)
#undef DL_EV_ENUM
        DL_EV__COUNT
} dl_event_kind;

/* The bit of a kind in a set of kinds (dl_engine.listen). */
#define DL_EV_BIT(kind) (UINT64_C(1) << (kind))
#define DL_EV_ALL       ((UINT64_C(1) << DL_EV__COUNT) - 1)

/* Which slot of a pair. */
typedef enum { DL_SLOT_CALLBACK = 0, DL_SLOT_ERRBACK = 1 } dl_slot;

typedef struct dl_event {
    dl_event_kind kind;
    uint64_t seq;      /* 0, 1, 2 ... per engine */
    double time;       /* the engine's current virtual time */
    uint32_t d;        /* the Deferred (or structure) id concerned, 0 if none */
    uint32_t other;    /* a second id (waited on, chained to, delayed call) */
    uint32_t index;    /* 1-based callback pair index within d, 0 if none */
    dl_slot slot;      /* CALL, RETURN, PASS */
    int64_t count;     /* PAUSED/UNPAUSED: new counter; RETURN: 1 if it raised */
    double num;        /* clock events */
    dl_value value;    /* borrowed */
    const char *name;  /* borrowed: callback name, canceller name */
    const char *name2; /* borrowed: ADDED's errback name */
    const char *text;  /* borrowed */
    const char *file;  /* borrowed: where the script caused it, or NULL */
    int line;
} dl_event;

/* "created" for DL_EV_CREATED ... or NULL when out of range. */
const char *dl_event_wire_name(dl_event_kind k);
/* Inverse of dl_event_wire_name; -1 when unknown. */
int dl_event_kind_from_wire(const char *name);

#endif
