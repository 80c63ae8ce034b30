/* script.h - the Lua 5.4 host: a sandboxed lua_State bound to a dl_engine.
 *
 * A dl_script owns one lua_State and one dl_engine. Lesson, challenge and
 * solution code runs in it with the API of shared docs/lua-api.md. The host
 * never prints: everything observable (print() included, as DL_EV_OUTPUT)
 * reaches the engine's observer, which the caller installs on
 * dl_script_engine(S) before running anything.
 *
 * Limits: an instruction budget (a count hook that pcall cannot swallow) and
 * a memory cap (the allocator). Either ends the run with a clear message,
 * "instruction budget exhausted (N instructions)" or "memory limit exceeded
 * (N MiB)", never a crash.
 *
 * Life cycle:
 *     dl_script *S = dl_script_new(&opts);
 *     dl_engine_observe(dl_script_engine(S), my_observer, my_ud);
 *     if (dl_script_run_file(S, "lessons/x.md") != 0) puts(dl_script_error(S));
 *     rc = dl_script_finish(S);   // closes Lua, then frees the engine
 *     dl_script_free(S);
 *
 * dl_script_finish releases everything in the order that keeps reports
 * honest: lua_close first (finalizers drop their Deferreds, so unhandled
 * failures are reported), then dl_engine_free (Deferreds kept alive by the
 * engine itself). It returns non-zero when a limit was hit during the run,
 * even if the script swallowed the error (in a __gc, say).
 */
#ifndef DL_SCRIPT_H
#define DL_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

typedef struct dl_script dl_script;

struct dl_reactor;
/* Makes the run's global `reactor` instead of a virtual Clock (a new
 * reference, or NULL with the failure in the engine's raised slot). */
typedef struct dl_reactor *(*dl_reactor_factory)(dl_engine *eng, void *ud);

typedef struct dl_script_opts {
    uint64_t budget;                 /* instructions for the whole run (0: default) */
    size_t memory;                   /* bytes of Lua heap (0: default) */
    uint32_t seed;                   /* math.random seed */
    dl_semantics semantics;          /* chainDeferred semantics at start */
    dl_reactor_factory make_reactor; /* NULL: a virtual Clock (deterministic) */
    void *make_reactor_ud;
} dl_script_opts;

#define DL_SCRIPT_DEFAULT_BUDGET 200000000u /* about a second of Lua */
#define DL_SCRIPT_DEFAULT_MEMORY ((size_t)64 << 20)

void dl_script_opts_default(dl_script_opts *o);

/* A new host with the sandbox ready. NULL on OOM. */
dl_script *dl_script_new(const dl_script_opts *opts);
/* The engine: install its observer before running code. */
dl_engine *dl_script_engine(dl_script *S);

/* Run Lua text as one chunk. name is what errors and events show, e.g.
 * "lessons/x.md".
 * Returns 0, or -1 with the message in dl_script_error. */
int dl_script_run(dl_script *S, const char *name, const char *src, size_t len);
/* Run a .lua file, or a lesson .md whose ```lua blocks run in order (line
 * numbers stay those of the .md). Returns 0 or -1 (message set). */
int dl_script_run_file(dl_script *S, const char *path);

/* "file:line: message" of the last failure ("" when none). Stays valid
 * after dl_script_finish. */
const char *dl_script_error(const dl_script *S);
/* The traceback that went with it ("" when none). */
const char *dl_script_traceback(const dl_script *S);

/* Close Lua, then free the engine (see above). Returns 0, or -1 when a limit
 * was hit at any point (message in dl_script_error). Idempotent. */
int dl_script_finish(dl_script *S);
/* Free what is left (finishing first if needed). */
void dl_script_free(dl_script *S);

#endif
