/* trace.h - trace records, the in-memory trace, and the JSON Lines writer.
 *
 * A dl_trace_rec is an engine event *rendered*: every value is already text
 * (dl_repr at the moment of the event), every string is valid UTF-8. It is
 * the one record type that everything downstream consumes: the writer turns
 * it into a line of JSON, the reader (reader.h) turns a line back into it,
 * and the trace model (model.h) folds it. Live runs and replays therefore
 * go through the very same record, so a replay cannot drift from live.
 *
 * Ownership: a rec filled by dl_trace_render borrows from the scratch it was
 * rendered into (valid until the next render); a rec inside a dl_trace
 * borrows from that trace's arena (valid until dl_trace_free).
 *
 * The wire format is documented in docs/trace-format.md.
 */
#ifndef DL_TRACE_H
#define DL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"

#define DL_TRACE_FORMAT  "deferlab-trace"
#define DL_TRACE_VERSION 1
#define DL_TRACE_ENGINE  "deferlab 0.1"

/* Errors of the trace layer (libuv style: one table, negative numbers). Out
 * of memory is the engine's DL_ENOMEM. */
#define DL_TRACE_ERRNO_MAP(X)                                                                      \
    X(IO, -100, "input/output error")                                                              \
    X(FORMAT, -101, "not a valid deferlab trace")                                                  \
    X(VERSION, -102, "the trace format version is newer than this deferlab reads")

typedef enum {
#define DL_TRACE_ERR_ENUM(name, num, msg) DL_TRACE_E##name = num,
    DL_TRACE_ERRNO_MAP(DL_TRACE_ERR_ENUM)
#undef DL_TRACE_ERR_ENUM
} dl_trace_errno;

/* Message for a trace error code (engine codes are passed to dl_strerror). */
const char *dl_trace_strerror(int err);

/* One key of a STATE event: the repr of its value and, when the value is a
 * Deferred or a non-empty list of Deferreds, their ids in order. */
typedef struct dl_trace_kv {
    const char *key;
    const char *repr;
    const uint32_t *ids; /* NULL when nids == 0 */
    uint32_t nids;
} dl_trace_kv;

/* Presence bits for the numeric fields that may legitimately be 0. */
enum { DL_REC_COUNT = 1, DL_REC_NUM = 2 };

typedef struct dl_trace_rec {
    int32_t kind;             /* dl_event_kind, or -1 for a kind this build does not know */
    int8_t slot;              /* DL_SLOT_CALLBACK / DL_SLOT_ERRBACK, or -1 when absent */
    int8_t vkind;             /* dl_kind of value, -1 when absent or unknown */
    uint8_t has;              /* DL_REC_COUNT | DL_REC_NUM */
    int32_t line;             /* 0 when absent */
    uint32_t d, other, index; /* 0 when absent */
    uint32_t nstate;
    uint64_t seq;
    double t;
    int64_t count;
    double num;
    const char *kind_name;                  /* wire name, never NULL */
    const char *value;                      /* repr, or NULL */
    const char *name, *name2, *text, *file; /* or NULL */
    const dl_trace_kv *state;               /* STATE events only; NULL otherwise */
} dl_trace_rec;

/* The Deferred a record concerns, or 0: STATE, clock and delayed-call
 * records carry a structure id in `d` (event.h), and script-level records
 * (cell, note, output) concern none. */
uint32_t dl_trace_rec_deferred(const dl_trace_rec *r);

/* "none", "bool" ... for a dl_kind; NULL when out of range. */
const char *dl_trace_vkind_name(int kind);
/* Inverse of dl_trace_vkind_name; -1 when unknown. */
int dl_trace_vkind_from_name(const char *name);

/* ---- rendering an engine event --------------------------------------- */

/* Reusable buffers for dl_trace_render. Zero-initialise; free with
 * dl_trace_scratch_free. */
typedef struct dl_trace_scratch {
    char *buf;
    size_t len, cap;
    dl_trace_kv *kv;
    size_t kvcap;
    uint32_t *ids;
    size_t idlen, idcap;
} dl_trace_scratch;

/* Render ev into *out (borrowing from s, valid until the next render on s).
 * Values become dl_repr text now; strings are made valid UTF-8 (each bad byte
 * becomes U+FFFD) so the record is exactly what a reader will load back.
 * Returns 0 or DL_ENOMEM. */
int dl_trace_render(dl_trace_scratch *s, const dl_event *ev, dl_trace_rec *out);
void dl_trace_scratch_free(dl_trace_scratch *s);

/* Internal (reader.c): length of the valid UTF-8 sequence at p (n > 0 bytes
 * left), or 0 when invalid. Strict like jansson: no overlongs, no
 * surrogates, nothing above U+10FFFF. */
size_t dl__utf8_seq(const unsigned char *p, size_t n);

/* ---- the in-memory trace ---------------------------------------------- */

typedef struct dl_trace_arena_chunk dl_trace_arena_chunk;

typedef struct dl_trace_header {
    int version;
    const char *source;    /* NULL when the producer did not say */
    const char *engine;    /* NULL when the producer did not say */
    const char *semantics; /* "twisted" | "proposed" | anything a newer writer wrote */
    const char *clock;     /* "virtual" | "realtime" | ... */
} dl_trace_header;

typedef struct dl_trace {
    dl_trace_header header; /* public read-only */
    dl_trace_rec *recs;     /* public read-only: recs[0..len) */
    size_t len, cap;
    /* What a reader tolerated (see reader.h); 0 for a trace built live. */
    size_t unknown_kinds, unknown_fields, skipped_lines;
    size_t out_of_order; /* events whose seq is not above the one before */
    char **warnings;     /* "file:line: ..." messages, nwarnings of them */
    size_t nwarnings;
    /* private */
    dl_trace_arena_chunk *arena;
    size_t arena_bytes; /* all chunks together */
    bool recs_big;      /* recs comes from bigmem.h */
} dl_trace;

/* An empty trace; NULL on OOM. */
dl_trace *dl_trace_new(void);
void dl_trace_free(dl_trace *t);
/* Append a deep copy of rec. Returns 0 or DL_ENOMEM (t unchanged). */
int dl_trace_append(dl_trace *t, const dl_trace_rec *rec);
/* Copy s into t's arena (NULL stays NULL); sets *out. 0 or DL_ENOMEM. */
int dl_trace_strdup(dl_trace *t, const char *s, const char **out);
/* Add a warning (a copy of msg). Returns 0 or DL_ENOMEM. */
int dl_trace_warn(dl_trace *t, const char *msg);

/* ---- the writer ------------------------------------------------------- */

typedef struct dl_trace_producer {
    const char *source;     /* the lesson/script file, or NULL */
    dl_semantics semantics; /* chainDeferred semantics of the run */
    bool realtime;          /* libuv clock instead of the virtual Clock */
} dl_trace_producer;

typedef struct dl_trace_writer dl_trace_writer;

/* Start a trace on f (not owned: the caller closes it after
 * dl_trace_writer_close). Writes the header line. Returns NULL on OOM. */
dl_trace_writer *dl_trace_writer_new(FILE *f, const dl_trace_producer *p);
/* Append one record as a line. Buffered. The record's strings must be valid
 * UTF-8, as every rendered or loaded record's are. Returns 0 or the first
 * error the writer has met (errors are sticky: later writes are dropped). */
int dl_trace_writer_write(dl_trace_writer *w, const dl_trace_rec *rec);
/* An observer (dl_observer_fn): render the event and write it. Errors are
 * kept for dl_trace_writer_error / dl_trace_writer_close. */
void dl_trace_writer_observe(void *w, const dl_event *ev);
/* 0, or the first error (DL_TRACE_EIO, DL_ENOMEM). */
int dl_trace_writer_error(const dl_trace_writer *w);
/* Records written so far (header excluded). */
uint64_t dl_trace_writer_count(const dl_trace_writer *w);
/* Flush everything to f (fflush included) and free w. Returns 0 or the
 * first error met during the writer's life. NULL is a no-op. */
int dl_trace_writer_close(dl_trace_writer *w);

#endif
