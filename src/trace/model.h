/* model.h - the trace model: "the state after event i", a pure fold.
 *
 * The model owns a log of records (a dl_trace) and a cursor. Feeding it live
 * (dl_model_observe as the engine's observer, or dl_model_feed) and opening a
 * saved trace (dl_model_new_from_trace) fill the same log with the same
 * dl_trace_rec records, and the same fold runs over it, so a replay shows
 * exactly what was seen live.
 *
 * Seeking: every DL_MODEL_SNAPSHOT_EVERY events the fold keeps a snapshot.
 * Snapshots share structure with the live state (chunked copy-on-write
 * vectors; a Deferred is copied only when it changes), so each costs about
 * what changed since the previous one, not the whole state. A seek restores
 * the nearest snapshot at or before the target and folds forward at most
 * DL_MODEL_SNAPSHOT_EVERY - 1 events. Stepping back is seek(i - 1).
 *
 * Strings in the state (reprs, names, labels) borrow from the log: valid for
 * the model's lifetime. Pointers to state entries (dl_model_deferred ...)
 * are valid until the next seek, feed or free.
 */
#ifndef DL_TRACE_MODEL_H
#define DL_TRACE_MODEL_H

#include "trace.h"

#define DL_MODEL_SNAPSHOT_EVERY 1024

typedef enum {
    DL_MD_UNFIRED = 0,
    DL_MD_SUCCESS, /* fired, current result is not a failure */
    DL_MD_FAILURE, /* fired, current result is a failure */
    DL_MD_WAITING  /* fired, but waiting on another Deferred (waiting_on) */
} dl_model_dstate;

typedef enum {
    DL_MP_PENDING = 0, /* not reached yet */
    DL_MP_RUNNING,     /* entered (CALL seen), not returned */
    DL_MP_RAN,         /* a function ran (slot says which) */
    DL_MP_PASSED       /* no function on the track: the result passed over */
} dl_model_pstatus;

typedef struct dl_model_pair {
    uint32_t index;      /* 1-based within its Deferred */
    uint32_t cont;       /* a continuation: the id of the Deferred waiting on this one; else 0 */
    const char *cb, *eb; /* names ("passthru" for none); for a continuation cb is "continue" */
    uint8_t status;      /* dl_model_pstatus */
    int8_t slot;         /* which track ran or was passed: DL_SLOT_*, -1 while pending */
    uint8_t raised;      /* the function raised */
    int8_t in_kind, out_kind;   /* dl_kind of input / output, -1 unknown */
    const char *input, *output; /* reprs, NULL until known */
} dl_model_pair;

typedef struct dl_model_deferred {
    uint32_t id;
    const char *label;  /* from LABEL events, NULL when none (see dl_model_deferred_name) */
    const char *cls;    /* "Deferred", "DeferredList" ... */
    int64_t created_at; /* event index */
    double created_t;
    dl_model_dstate state;
    int32_t paused;
    const char *result; /* repr of the current result, NULL when unfired */
    int8_t result_kind; /* dl_kind, -1 when unknown */
    bool cancelled;
    bool unhandled;             /* an unhandled failure was reported */
    const char *unhandled_repr; /* what it was */
    uint32_t waiting_on;        /* id, 0 when not waiting */
    uint32_t chained_from;      /* who chainDeferred'ed into this one, 0 if none */
    uint32_t running;           /* index of the pair being run now, 0 when none */
    const char *canceller;      /* name, once it was called */
    const char *notice;         /* latest warning / refusal / already-called text */
    int64_t last_event;         /* index of the latest event that concerned it */
} dl_model_deferred;

typedef struct dl_model_structure {
    uint32_t id;
    const char *cls;       /* "DeferredQueue", "Clock" ... */
    const char *label;     /* or NULL */
    const dl_trace_kv *kv; /* the latest STATE's key -> repr map (nkv entries) */
    uint32_t nkv;
    int64_t created_at, changed_at;
} dl_model_structure;

typedef enum { DL_MC_SCHEDULED = 0, DL_MC_RAN, DL_MC_CANCELLED } dl_model_cstatus;

typedef struct dl_model_call {
    uint32_t id;    /* delayed-call id */
    uint32_t clock; /* structure id of its clock */
    double time;    /* when it is due */
    const char *name;
    dl_model_cstatus status;
    int64_t scheduled_at;
} dl_model_call;

typedef struct dl_model dl_model;

/* An empty model with its own log; NULL on OOM. */
dl_model *dl_model_new(void);
/* A model over a loaded trace; takes ownership of t (even on failure).
 * The cursor starts before the first event. NULL on OOM. */
dl_model *dl_model_new_from_trace(dl_trace *t);
void dl_model_free(dl_model *m);

/* Append a copy of rec to the log. When the cursor is at the end of the log
 * (following live), the model advances over it. Returns 0 or DL_ENOMEM. */
int dl_model_feed(dl_model *m, const dl_trace_rec *rec);
/* An observer (dl_observer_fn): render ev, write it to the attached writer
 * if any, and feed it. Model errors are kept (dl_model_error) and stop the
 * model; a writer error stays in the writer (dl_trace_writer_close reports
 * it) and does not stop the live view. */
void dl_model_observe(void *m, const dl_event *ev);
/* Write every observed record to w too (not owned; NULL detaches). */
void dl_model_attach_writer(dl_model *m, dl_trace_writer *w);
/* First error met by dl_model_observe (DL_ENOMEM), or 0. */
int dl_model_error(const dl_model *m);

/* The log. */
const dl_trace *dl_model_trace(const dl_model *m);
size_t dl_model_len(const dl_model *m);
const dl_trace_rec *dl_model_event(const dl_model *m, size_t i);

/* Show the state after event i (0 <= i < len); i = -1 is the state before
 * any event. Returns 0, DL_EINVAL (out of range), or DL_ENOMEM. */
int dl_model_seek(dl_model *m, int64_t i);
/* The event the state is after; -1 before the first. */
int64_t dl_model_cursor(const dl_model *m);

/* ---- the state at the cursor ------------------------------------------ */

double dl_model_time(const dl_model *m);  /* t of the cursor's event (0 before any) */
double dl_model_clock(const dl_model *m); /* the latest clock-advance time */
/* The number of the lesson cell running (the latest CELL event's count), 0
 * before any; *at (when not NULL) gets that event's index, or -1. */
int64_t dl_model_cell(const dl_model *m, int64_t *at);

/* Deferreds in order of first appearance. */
size_t dl_model_deferred_count(const dl_model *m);
const dl_model_deferred *dl_model_deferred_at(const dl_model *m, size_t k);
/* By id; NULL when it does not exist at the cursor. */
const dl_model_deferred *dl_model_find_deferred(const dl_model *m, uint32_t id);
/* The label, or "d#<id>". Returns what snprintf would. */
int dl_model_deferred_name(const dl_model_deferred *d, char *buf, size_t n);
/* Its callback pairs, oldest first; pair k has index k + 1. */
size_t dl_model_pair_count(const dl_model_deferred *d);
const dl_model_pair *dl_model_pair_at(const dl_model_deferred *d, size_t k);
/* Ids this Deferred chainDeferred'ed into, in order. */
size_t dl_model_chained_count(const dl_model_deferred *d);
uint32_t dl_model_chained_at(const dl_model_deferred *d, size_t k);

size_t dl_model_structure_count(const dl_model *m);
const dl_model_structure *dl_model_structure_at(const dl_model *m, size_t k);
const dl_model_structure *dl_model_find_structure(const dl_model *m, uint32_t id);

size_t dl_model_call_count(const dl_model *m);
const dl_model_call *dl_model_call_at(const dl_model *m, size_t k);

/* OUTPUT lines and NOTE texts up to the cursor, oldest first. The event
 * index of each is available through *at when at is not NULL. */
size_t dl_model_output_count(const dl_model *m);
const char *dl_model_output_at(const dl_model *m, size_t k, int64_t *at);
size_t dl_model_note_count(const dl_model *m);
const char *dl_model_note_at(const dl_model *m, size_t k, int64_t *at);

/* The whole state at the cursor as deterministic text (one item per line),
 * for tests, the plain-text log and debugging. Returns a malloc'ed string
 * (the caller frees it) or NULL on OOM. */
char *dl_model_dump(const dl_model *m);

#endif
