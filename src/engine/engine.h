/* engine.h - the engine context.
 *
 * One dl_engine per run. It owns: the observer hook, id counters, the chain
 * semantics switch, the source of "now" for events, the raised-error slot,
 * and the memory of every live Deferred (so dl_engine_free can reclaim
 * reference cycles such as a Deferred waiting forever on another that nobody
 * can fire).
 *
 * The engine is single-threaded, like Twisted's reactor thread.
 */
#ifndef DL_ENGINE_H
#define DL_ENGINE_H

#include "error.h"
#include "event.h"
#include "failure.h"
#include "value.h"

typedef struct dl_deferred dl_deferred;

typedef void (*dl_observer_fn)(void *ud, const dl_event *ev);
/* Fills in the script location that is causing the current step. */
typedef void (*dl_locator_fn)(void *ud, const char **file, int *line);
/* Current virtual time, for stamping events. */
typedef double (*dl_now_fn)(void *ud);

typedef enum {
    DL_SEMANTICS_TWISTED = 0, /* chainDeferred exactly as Twisted 22.4 */
    DL_SEMANTICS_PROPOSED     /* the fixes the seed blog post argued for */
} dl_semantics;

typedef struct dl_engine_hook {
    void (*fn)(void *);
    void *ud;
} dl_engine_hook;

typedef struct dl_engine {
    /* public: set with dl_engine_observe */
    dl_observer_fn observer;
    void *observer_ud;
    /* public: may be narrowed after dl_engine_observe */
    uint64_t listen; /* the kinds the observer is given (DL_EV_BIT bits); 0 without an observer.
                        Kinds left out are never built, stamped or located (see dl_engine_wants) */
    dl_locator_fn locator;
    void *locator_ud;
    dl_now_fn now;
    void *now_ud;
    dl_semantics semantics;
    int index_base; /* indices the host sees (FirstError's message, fireOnOneCallback's and
                       race's results): 0 as Twisted (default), 1 for Lua */
    void *data;     /* belongs to the user */

    /* read-only */
    uint64_t seq;         /* next event number */
    uint32_t next_id;     /* last Deferred id handed out */
    uint32_t next_obj_id; /* last structure id handed out */
    size_t live;          /* Deferreds alive */
    size_t unhandled_reported;

    /* private */
    struct dl_engine_hook *on_free; /* run first by dl_engine_free */
    size_t non_free, cap_on_free;
    dl_value raised;                      /* DL_FAILURE describing the last error code, or NONE */
    struct dl_dheap *dheap;               /* where Deferreds live (deferred.c): slabs, ring cache */
    dl_deferred *trash_head, *trash_tail; /* Deferreds waiting to be freed (deferred.c) */
    bool freeing;                         /* draining the trash */
    uint32_t fire_depth;                  /* callback()/errback() calls nested in callbacks */
    uint32_t cancel_depth;                /* cancel() calls nested in cancellers */
    bool destroying;
} dl_engine;

/* New engine; NULL on OOM. */
dl_engine *dl_engine_new(void);
/* Free the engine. Every Deferred still alive is torn down, reporting any
 * unhandled failure it holds (like Twisted's garbage collector at exit), so
 * call it while the observer can still listen. */
void dl_engine_free(dl_engine *eng);

/* Take the Failure behind the last error code returned by an engine call
 * (new reference; DL_NONE if there is none). */
dl_value dl_engine_take_raised(dl_engine *eng);

/* Set the raised slot and return code; used by engine modules.
 * Takes ownership of failure. */
int dl__raise(dl_engine *eng, int code, dl_value failure);
/* Raise with a fresh exception of the given type. */
int dl__raisef(dl_engine *eng, int code, dl_errtype *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Install fn (NULL: none) as the observer, given every kind of event; narrow
 * eng->listen afterwards to the kinds it uses. */
void dl_engine_observe(dl_engine *eng, dl_observer_fn fn, void *ud);

/* True when someone listens to some kind: modules skip building events otherwise. */
static inline bool dl_engine_observed(const dl_engine *eng)
{
    return eng->listen != 0;
}
/* True when the observer wants events of this kind. Emitters check it before
 * building an event, so it is one load and a bit test: listen is 0 whenever
 * there is no observer (dl_engine_observe keeps it so). */
static inline bool dl_engine_wants(const dl_engine *eng, dl_event_kind kind)
{
    return (eng->listen & DL_EV_BIT(kind)) != 0;
}
/* Stamp seq/time/location on ev and deliver it. ev is modified. */
void dl_engine_emit(dl_engine *eng, dl_event *ev);
/* Convenience for script-level events (NOTE, OUTPUT). */
void dl_engine_emit_text(dl_engine *eng, dl_event_kind kind, const char *text);
/* Run fn(ud) at the start of dl_engine_free, before the Deferreds are torn
 * down (a clock drops its pending calls there, breaking the cycles they make
 * with Deferreds). Unregister with dl__engine_off_free when ud dies first.
 * Returns 0 or DL_ENOMEM. */
int dl__engine_on_free(dl_engine *eng, void (*fn)(void *), void *ud);
void dl__engine_off_free(dl_engine *eng, void (*fn)(void *), void *ud);
/* Next id for structures (queues, locks, clocks ...). */
uint32_t dl_engine_next_obj_id(dl_engine *eng);

#endif
