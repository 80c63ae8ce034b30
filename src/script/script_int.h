/* script_int.h - what the files of src/script/ share (not a public API).
 *
 * Engine objects reach Lua as "boxes": a full userdata holding one dl_value
 * (a reference), with one named metatable per kind. A weak-valued cache maps
 * each engine object to its box, so the same Deferred (Failure, exception,
 * type ...) always comes back as the same Lua value.
 *
 * Lua values that the engine does not know (tables, functions, coroutines)
 * travel as DL_HOST values holding a registry reference: the very same value
 * comes back out.
 *
 * Error discipline: a binding runs under Lua's protection, so it may raise
 * (luaL_error). Code the *engine* calls (callbacks, cancellers, clock calls,
 * inlineCallbacks resumes) must never raise through engine frames: it does
 * its Lua work inside lua_pcall and turns any error into a Failure.
 */
#ifndef DL_SCRIPT_INT_H
#define DL_SCRIPT_INT_H

#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>

#include "engine/deferred.h"
#include "script/script.h"

/* Metatable names, one per userdata type. */
#define DL_MT_DEFERRED  "deferlab.Deferred"
#define DL_MT_FAILURE   "deferlab.Failure"
#define DL_MT_EXCEPTION "deferlab.Exception"
#define DL_MT_ERRTYPE   "deferlab.ErrorType"
#define DL_MT_OBJECT    "deferlab.Object" /* an engine structure with no binding */

enum { DL_KILL_NONE = 0, DL_KILL_BUDGET, DL_KILL_MEMORY };

/* What a box is taken to hold of engine memory, unseen by Lua's collector
 * (about a Deferred with one pair, its extra state and a label), and how
 * much of it makes one collector step (see push_box). */
#define DL_BOX_HIDDEN_BYTES 256u
#define DL_HIDDEN_STEP      ((size_t)64 << 10)

/* What one source line says about labels, read the first time a Deferred is
 * made there (host.c, dl__infer_label). */
typedef struct dl_label_site {
    bool read;      /* the line has been read */
    uint8_t nnames; /* 0: it names nothing */
    char *text;     /* the names, then the called name, each NUL-terminated */
} dl_label_site;

typedef struct dl_chunk {
    char *name;           /* "lessons/x.md" (the chunkname without '@') */
    char **lines;         /* its source lines (lines[0] is line 1), for names */
    dl_label_site *sites; /* sites[i]: what lines[i] says about labels */
    size_t nlines;
} dl_chunk;

typedef struct dl_name_slot {
    char *name;
    uint32_t uses;
} dl_name_slot;

typedef struct dl_call_ctx dl_call_ctx;

struct dl_script {
    lua_State *L;        /* the main thread */
    lua_State *cur;      /* the thread that last entered host code (see dl__script) */
    lua_State *loc_hint; /* a suspended coroutine whose yield causes the events */
    dl_engine *eng;
    dl_script_opts opts;

    /* memory cap (the allocator) */
    size_t mem;
    size_t mem_peak;
    bool refused;            /* the last request was refused ... */
    const void *refused_ptr; /* ... this one, so Lua's retry can be recognised */
    size_t refused_size;

    /* instruction budget (the count hook) */
    uint64_t spent;
    int hook_step;

    int killed; /* DL_KILL_*: sticky for the rest of the run */
    char kill_msg[96];
    char kill_where[256];
    size_t printed; /* bytes of print()/note() text so far (DL_SCRIPT_OUTPUT_MAX) */

    bool closing, closed; /* lua_close running / done: host refs are dead */

    dl_chunk *chunks;
    size_t nchunks;

    const char *label_src;      /* the line that named the last of several ... */
    int label_line, label_next; /* ... and which name comes next */
    dl_name_slot *names;        /* open-addressing set of labels already given */
    size_t names_cap, names_len;

    const void *box_mts[32];   /* metatables of every box type ... */
    const char *box_names[32]; /* ... their names (DL_MT_*) ... */
    int box_mt_refs[32];       /* ... and their registry slots */
    int nbox_mts;
    void *last_box;    /* the box whose type was looked up last (forgotten by its __gc) ... */
    int last_box_type; /* ... and its index in box_mts */

    /* Registry slots (integer keys: the fastest lookups Lua has) of:      */
    int cache_ref;     /* the box cache: object (light userdata) -> its box, weak values */
    int names_ref;     /* names read off definition lines: function -> name, or its
                          linedefined when the line names nothing; weak keys */
    int shared_ref;    /* shared callables: function -> holder of the luafn every plain
                          d:addCallback(fn) of it shares; weak keys */
    int holder_mt_ref; /* the holders' metatable (__gc frees the luafn) */

    size_t hidden_bytes; /* engine memory held by boxes made since the last GC step */

    struct luafn *last_shared;  /* the shared callable handed out last ... */
    const void *last_shared_fn; /* ... and its function's address */

    dl_call_ctx *call;            /* innermost host->Lua call in progress */
    struct dl_reactor **reactors; /* every Clock made here (references) */
    size_t nreactors, reactors_cap;

    dl_value *parked; /* owned values parked while Lua may raise */
    size_t nparked, parked_cap;

    char err[1024];
    char *traceback;
    bool finished;
};

/* A box: the userdata behind every engine object seen from Lua. */
typedef struct dl_box {
    dl_value v; /* owned; DL_NONE until fully built */
} dl_box;

/* ---- host.c ------------------------------------------------------------ */

/* A binding's entry: the host of L, recording L as the thread now running
 * host code and charging the crossing to the budget (DL_CROSSING_COST).
 * Call it once per binding call; helpers the binding calls use dl__host. */
dl_script *dl__script(lua_State *L);
/* The host of L, and nothing else. */
static inline dl_script *dl__host(lua_State *L)
{
    return *(dl_script **)lua_getextraspace(L);
}

/* Push v as a Lua value (boxes cached for identity). v is borrowed. May
 * raise a memory error. */
void dl__push(lua_State *L, dl_value v);
/* Push v and take ownership of it (released even if pushing raises). */
void dl__push_owned(lua_State *L, dl_value v);
/* Park an owned value while Lua calls that may raise run: if they raise,
 * the value is released later (by an outer unpark or at the end of the
 * run). unpark(slot) gives the ownership back to the caller. */
size_t dl__park(dl_script *S, dl_value v);
void dl__unpark(dl_script *S, size_t slot);
/* The Lua value at idx as an engine value (new reference). May raise. */
dl_value dl__to_value(lua_State *L, int idx);
/* The box at idx (any box type), or NULL. */
dl_box *dl__box(lua_State *L, int idx);
/* The box at idx if its metatable is mt, or NULL. */
dl_box *dl__box_is(lua_State *L, int idx, const char *mt);
/* Register the metatable on the stack top as the box type called name. */
void dl__register_box_mt(lua_State *L, const char *name);
/* Create a metatable for a box type: fields from methods (the __index table
 * unless index is given), __gc, __metatable protection. Leaves it popped. */
void dl__new_box_type(lua_State *L, const char *name, const luaL_Reg *meta,
                      const luaL_Reg *methods);

/* Turn the error object at idx into a Failure (new reference). where is the
 * location to record when the object carries none. Never raises. */
dl_value dl__error_to_failure(lua_State *L, int idx, const char *where);

/* After an engine call: raise the kill error if a limit was hit, else raise
 * the engine's raised Failure when rc < 0. Returns rc when it is >= 0. */
int dl__check(lua_State *L, int rc);
/* Raise the pending kill error when a limit has been hit. */
void dl__check_killed(lua_State *L);
/* Raise an engine-style error: a new exception of type t. */
int dl__raise_type(lua_State *L, dl_errtype *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "file:line" of the innermost script frame of L at or above level, into
 * buf; returns false (buf "") when there is none. */
bool dl__where(lua_State *L, int level, char *buf, size_t n);

/* What a Lua callable receives first from the engine's argument. */
enum {
    DL_INPUT_NONE = 0,  /* nothing (maybeDeferred, callLater) */
    DL_INPUT_ONE = 1,   /* the argument (callbacks, cancellers) */
    DL_INPUT_UNPACK = 2 /* the items of a DL_LIST argument (onTimeoutCancel) */
};
/* A dl_fn calling the Lua callable at fidx with (input..., args...) where
 * args are the nargs values from argfirst. May raise (memory). */
dl_fn dl__lua_fn(lua_State *L, int fidx, int argfirst, int nargs, int input);
/* A box type whose __index looks up fields with index_fn (which may end
 * with `return dl__methods(L)` for the methods table), and __newindex with
 * newindex_fn (NULL: read-only). */
void dl__new_object_type(lua_State *L, const char *name, const luaL_Reg *methods,
                         lua_CFunction index_fn, lua_CFunction newindex_fn);
/* In an index_fn: push methods[key] (key at 2) and return 1. */
int dl__methods(lua_State *L);
/* Read a Lua array of Deferreds at idx into a new C array (*n items);
 * raises on a non-Deferred. The caller frees it (it is parked meanwhile). */
dl_deferred **dl__check_deferred_array(lua_State *L, int idx, size_t *n);
/* Track a reactor for dl_script_finish (retained): closed and released
 * after Lua, before the engine. */
void dl__track_reactor(dl_script *S, void *reactor);
/* Is the value at idx callable (function, or __call)? */
bool dl__callable(lua_State *L, int idx);
/* Check that idx is callable, raising AssertionError as Twisted 22.4 does. */
void dl__check_callable(lua_State *L, int idx, const char *what);

/* Display name of the Lua function at idx (its name, else "λ@line"). */
void dl__fn_display_name(lua_State *L, int idx, char *buf, size_t n);
/* Label d from the calling line ("local d1 = ctor(" gives "d1"); ctor NULL
 * accepts any called name. */
void dl__infer_label(lua_State *L, dl_deferred *d, const char *ctor);

/* Call the Lua value at top-of-stack-(nargs) like a callback would be
 * called, from C code the engine runs: protected, errors become a Failure
 * in *out (return DL_ERAISED), else the first result in *out. Pops the
 * function and its arguments. */
int dl__pcall_value(dl_script *S, lua_State *L, int nargs, dl_value *out);

/* The host's name of the script file a frame runs in ("lessons/x.md"), or
 * NULL when the frame is not script code. Stable for the whole run. */
const char *dl__script_file(dl_script *S, const lua_Debug *ar);
/* Remember a chunk's lines (for names); 0 or -1 on OOM. */
int dl__add_chunk(dl_script *S, const char *name, const char *text, size_t len);
/* The engine's locator hook (ud is the dl_script). */
void dl__locate(void *ud, const char **file, int *line);
/* Split Lua's "file:line: " prefix off msg into where; returns the rest. */
const char *dl__strip_location(const char *msg, char *where, size_t n);
/* Repr of the Lua value at idx without allocating Lua memory or raising. */
int dl__value_repr(dl_script *S, lua_State *L, int idx, char *buf, size_t n, int depth);
/* Create the shared callables' table and the holders' metatable (setup). */
void dl__open_shared(lua_State *L, dl_script *S);
/* A new table with weak mode ("k", "v") in the registry; its slot. */
int dl__new_weak_table(lua_State *L, const char *mode);
/* Release every parked value (end of the run). */
void dl__drop_parked(dl_script *S);

/* ---- sandbox.c ----------------------------------------------------------- */

/* (dl__check_killed above lives there, with the allocator and the hook.) */

/* What a crossing between Lua and the host costs against the instruction
 * budget, on top of the VM instructions counted by the hook: a binding call
 * (dl__script) or the engine calling into Lua. The C work behind a crossing
 * (the engine's steps, their narrative) is unseen by the count hook, so a
 * loop that is mostly crossings - a delayed call rescheduling itself, an
 * inlineCallbacks generator yielding forever - would otherwise run many
 * times longer than its budget says. */
#define DL_CROSSING_COST 32u
/* Add cost to what the run has spent, for a crossing made by thread L; past
 * the budget the run is killed, naming L's line, and L raises at its next
 * instruction. Never raises itself. */
void dl__charge_slow(dl_script *S, lua_State *L);
static inline void dl__charge(dl_script *S, lua_State *L, uint64_t cost)
{
    S->spent += cost;
    if (S->spent >= S->opts.budget || S->killed) dl__charge_slow(S, L);
}

/* ---- lib_*.c: each opens its part of the API into the globals ----------- */

void dl__open_failure(lua_State *L);
void dl__open_deferred(lua_State *L);
void dl__open_coro(lua_State *L);
void dl__open_time(lua_State *L);
void dl__open_dlist(lua_State *L);
void dl__open_primitives(lua_State *L);
void dl__open_seed(lua_State *L);

/* The Deferred at idx (raises a type error otherwise). */
dl_deferred *dl__check_deferred(lua_State *L, int idx);
/* The exception type at idx (raises otherwise). */
dl_errtype *dl__check_errtype(lua_State *L, int idx);
/* The err argument of errback()/fail(): a Failure, an exception, or a string
 * (Exception(str)); anything else raises TypeError. New reference. */
dl_value dl__to_failure_arg(lua_State *L, int idx);
/* Push a new Deferred box for d (takes ownership), labelled from source. */
void dl__push_new_deferred(lua_State *L, dl_deferred *d, const char *ctor);

#endif
