/* deferred.h - the Deferred, with Twisted 22.4's exact semantics.
 *
 * A Deferred holds a FIFO of callback pairs and, once fired, a result that
 * flows down the pairs: a success runs the callback slot, a Failure runs the
 * errback slot. A callback that returns a Deferred makes this one wait on it
 * (the trampoline in deferred.c keeps the C stack flat for any depth).
 *
 * Ownership: dl_deferred_new returns a reference you own; release it with
 * dl_deferred_release. The engine keeps its own references for as long as it
 * needs a Deferred (while it runs callbacks, while another waits on it). When
 * the last reference goes and the Deferred still holds an unhandled Failure,
 * a DL_EV_UNHANDLED event is emitted, exactly once.
 *
 * Calls that can fail return 0 or a negative DL_E* code, with the matching
 * Failure in the engine's raised slot (dl_engine_take_raised).
 */
#ifndef DL_DEFERRED_H
#define DL_DEFERRED_H

#include "engine.h"

/* How deeply callback()/errback() calls may nest inside callbacks (a
 * callback that fires another Deferred whose callback fires another ...,
 * as a chainDeferred line does). Twisted recurses here too and hits
 * Python's recursion limit near 330 links; past this limit the engine
 * refuses with RuntimeError("... levels deep ..."), which becomes a Failure
 * in the chain of the callback that tried, instead of overflowing the C
 * stack. Returned Deferreds never count: they use the trampoline. */
#define DL_FIRE_DEPTH_MAX 1000

/* ---- callables -------------------------------------------------------- */

/* A function the engine can call: callbacks, errbacks, cancellers, clock
 * calls. The host packs its own function and extra arguments into ud. */
typedef struct dl_fn_class {
    /* Call with arg (borrowed). On a normal return store a new reference in
     * *out and return 0; when the function raised, store the Failure (new
     * reference) in *out and return DL_ERAISED. */
    int (*call)(void *ud, dl_value arg, dl_value *out);
    /* Free ud (NULL: nothing to free). Called exactly once per dl_fn the
     * engine was given, when the engine no longer needs it. */
    void (*release)(void *ud);
    /* Display name for diagrams (NULL: use the class's static name). */
    const char *(*name)(void *ud);
    const char *static_name;
} dl_fn_class;

typedef struct dl_fn {
    const dl_fn_class *cls; /* NULL: pass the result through unchanged */
    void *ud;
} dl_fn;

static inline dl_fn dl_fn_make(const dl_fn_class *cls, void *ud)
{
    dl_fn f = {cls, ud};
    return f;
}
static inline dl_fn dl_passthru(void)
{
    dl_fn f = {NULL, NULL};
    return f;
}
/* The display name of f ("passthru" for a pass-through). */
const char *dl_fn_name(dl_fn f);
/* Invoke f (see dl_fn_class.call). A pass-through returns arg retained. */
int dl_fn_call(dl_fn f, dl_value arg, dl_value *out);
/* Release f's ud. */
void dl_fn_release(dl_fn f);

/* A convenience class for C callers: a plain function plus user data. The
 * closure (and its name) is copied; release frees it. */
typedef dl_value (*dl_cfunc)(dl_value arg, void *ud);
/* A C function that may "raise" by returning a failure value: for
 * callbacks that is the same thing as raising (both take the errback path).
 * For cancellers and clock calls a returned failure counts as raised. */
dl_fn dl_fn_c(dl_cfunc fn, void *ud, const char *name);

/* ---- the Deferred ----------------------------------------------------- */

typedef struct dl_pair {
    dl_fn cb, eb;
} dl_pair;

/* Per-class behaviour for Deferred subclasses (DeferredList overrides cancel). */
typedef struct dl_deferred_class {
    const char *name;                 /* "Deferred", "DeferredList" ... */
    int (*cancel)(dl_deferred *d);    /* NULL: the Deferred's own cancel */
    void (*destroy_impl)(void *impl); /* frees impl when the Deferred dies */
} dl_deferred_class;

/* Rarely-needed fields, allocated on first use to keep Deferreds small. */
typedef struct dl_deferred_extra {
    dl_fn canceller;
    char *label;
    dl_value unhandled; /* Twisted's DebugInfo.failResult; DL_NONE when clear */
    const dl_deferred_class *cls;
    void *impl;                /* subclass state */
    dl_deferred *chain_source; /* proposed semantics: who chainDeferred'ed into us */
    uint32_t chained_targets;  /* proposed semantics: how many we chain into */
    dl_deferred **targets;     /* proposed semantics: those targets (owned refs) */
} dl_deferred_extra;

/* 112 bytes on LP64: the benchmark (bench/mem.c) holds an unfired Deferred
 * with one pair to at most 128 bytes, so every field here is paid a million
 * times. Rare state lives in extra; the first pair is stored inline and its
 * space holds the ring's pointer once a second pair arrives. Deferreds are
 * carved from per-engine slabs (deferred.c), so there is no malloc header and
 * no list link per Deferred. */
struct dl_deferred {
    dl_obj hdr;          /* hdr.id: the Deferred's id (d#N) */
    int32_t paused;      /* public read-only: signed, as in Twisted */
    uint8_t called;      /* public read-only */
    uint8_t running;     /* _runningCallbacks */
    uint8_t suppress;    /* _suppressAlreadyCalled */
    uint8_t cb_cap_log2; /* capacity of the FIFO is 1 << cb_cap_log2 */
    dl_value result;     /* valid when called; DL_DEFERRED while waiting */
    dl_engine *eng;
    dl_deferred *chained_to; /* _chainedTo (not a reference) */
    dl_deferred_extra *extra;
    uint32_t cb_head, cb_len;
    uint32_t cb_added; /* pairs ever added: gives each pair its 1-based index */
    union {
        dl_pair one;   /* cb_cap_log2 == 0: the only slot, inline */
        dl_pair *ring; /* otherwise: a ring buffer of 1 << cb_cap_log2 pairs */
    } cbs;             /* private */
};

/* A new unfired Deferred with an optional canceller (cls NULL: none). The
 * Deferred takes ownership of the canceller. Returns NULL on OOM. */
dl_deferred *dl_deferred_new(dl_engine *eng, dl_fn canceller);
/* New Deferred of a subclass; impl is owned (freed via cls->destroy_impl). */
dl_deferred *dl_deferred_new_sub(dl_engine *eng, dl_fn canceller, const dl_deferred_class *cls,
                                 void *impl);
dl_deferred *dl_deferred_retain(dl_deferred *d);
void dl_deferred_release(dl_deferred *d);
static inline dl_value dl_deferred_value(dl_deferred *d)
{
    dl_obj_retain(d);
    return dl_obj_value(DL_DEFERRED, d);
}
static inline dl_deferred *dl_deferred_of(dl_value v)
{
    return v.kind == DL_DEFERRED ? (dl_deferred *)v.u.o : NULL;
}

/* Add one pair; takes ownership of both. A NULL cls passes through. Runs the
 * chain at once if d has fired (subject to pause and re-entrancy). Returns
 * 0, or DL_ENOMEM (both fns released). */
int dl_deferred_add_callbacks(dl_deferred *d, dl_fn cb, dl_fn eb);
int dl_deferred_add_callback(dl_deferred *d, dl_fn cb);
int dl_deferred_add_errback(dl_deferred *d, dl_fn eb);
/* Both slots; the engine calls f (the callback slot) or f2 (the errback
 * slot) -- the host gives two handles to the same function. */
int dl_deferred_add_both(dl_deferred *d, dl_fn f, dl_fn f2);

/* Fire with a result (borrowed). A failure value behaves like errback.
 * Errors: DL_EALREADYCALLED (AlreadyCalledError), DL_EASSERTION when v is a
 * Deferred (Twisted 22.4 asserts), DL_EREFUSED (proposed semantics: d was
 * chained to by another Deferred). */
int dl_deferred_callback(dl_deferred *d, dl_value v);
/* Fire with a failure; v may be a failure or an exception (wrapped). Any
 * other value is DL_ETYPE. */
int dl_deferred_errback(dl_deferred *d, dl_value v);

void dl_deferred_pause(dl_deferred *d);
void dl_deferred_unpause(dl_deferred *d);

/* Twisted's cancel(). Returns DL_ERAISED when a canceller raised (the
 * Deferred stays unfired, the failure is in the raised slot). */
int dl_deferred_cancel(dl_deferred *d);

/* Internal (for hosts): fire d so that it immediately waits on inner, as if
 * a callback had returned inner (a ready inner's result is taken). Used to
 * reproduce inlineCallbacks cancellation. DL_EALREADYCALLED if d fired. */
int dl__deferred_wait_on(dl_deferred *d, dl_deferred *inner);

/* d.chainDeferred(other): returns 0 (d is its own return value in Python). */
int dl_deferred_chain(dl_deferred *d, dl_deferred *other);

/* The label set with dl_deferred_set_label, or NULL. Borrowed. */
const char *dl_deferred_label(const dl_deferred *d);
/* The display name: the label, or "d#<id>". Returns what snprintf would. */
int dl_deferred_name(const dl_deferred *d, char *buf, size_t n);
int dl_deferred_set_label(dl_deferred *d, const char *label);
/* "Deferred", "DeferredList" ... */
const char *dl_deferred_class_name(const dl_deferred *d);
void *dl_deferred_impl(const dl_deferred *d);
/* Number of pairs not yet run. */
static inline uint32_t dl_deferred_pending(const dl_deferred *d)
{
    return d->cb_len;
}
/* The Deferred this one waits on (or that chainDeferred'ed into it), or NULL. */
static inline dl_deferred *dl_deferred_chained_to(const dl_deferred *d)
{
    return d->chained_to;
}
/* The unhandled failure Twisted would log at GC now (borrowed), or DL_NONE. */
dl_value dl_deferred_unhandled(const dl_deferred *d);

/* succeed(v) / fail(f): already-fired Deferreds (v borrowed). NULL on OOM. */
dl_deferred *dl_succeed(dl_engine *eng, dl_value v);
dl_deferred *dl_fail(dl_engine *eng, dl_value failure_or_exception);
/* maybeDeferred(fn, arg): calls fn now. A returned Deferred comes back as is
 * (retained); a raise or returned failure gives fail(); anything else
 * succeed(). Takes ownership of fn. */
dl_deferred *dl_maybe_deferred(dl_engine *eng, dl_fn fn, dl_value arg);

/* tostring(d): "<Deferred d1>", "<Deferred d1 current result: 5>",
 * "<Deferred d1 waiting on d2>". */
int dl_deferred_repr(const dl_deferred *d, char *buf, size_t n);

#endif
