/* sandbox.c - the sandboxed state: memory cap (the allocator), instruction
 * budget (the count hook), the libraries a script gets, running chunks, and
 * the end of a run.
 */
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"
#include "script/script_int.h"

/* Registry key (addresses are unique). */
static const char KILLMSG_KEY[3] = {0}; /* [why]: the preallocated kill messages */

/* ===================================================================== */
/* Memory cap: the allocator                                             */
/* ===================================================================== */

/* Room granted once the cap is hit, so error handling can still run. */
#define KILL_SLACK ((size_t)1 << 20)

static void kill_message(const dl_script *S, int why, char *buf, size_t n)
{
    if (why == DL_KILL_BUDGET)
        snprintf(buf, n, "instruction budget exhausted (%llu instructions)",
                 (unsigned long long)S->opts.budget);
    else
        snprintf(buf, n, "memory limit exceeded (%zu MiB)",
                 (S->opts.memory + (1u << 20) - 1) >> 20);
}

static void count_hook(lua_State *L, lua_Debug *ar);

/* A limit was hit: from now on every instruction of the main thread raises
 * (other threads re-arm when their own hook next fires). */
static void kill_run(dl_script *S, int why)
{
    if (S->killed) return;
    S->killed = why;
    kill_message(S, why, S->kill_msg, sizeof S->kill_msg);
    if (S->L && !S->closing) lua_sethook(S->L, count_hook, LUA_MASKCOUNT, 1); /* safe anywhere */
}

/* Push the kill error: made at start-up, so pushing never allocates. */
static void push_kill_message(lua_State *L, const dl_script *S)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KILLMSG_KEY[S->killed]);
}

/* A request is refused: note where the main thread is, while its stack is
 * still whole (reading it allocates nothing). Memory errors never reach a
 * message handler, so this is the location the kill message will carry. */
static void memory_refused(dl_script *S)
{
    if (!S->L || S->closing || S->killed) return;
    lua_Debug ar;
    S->kill_where[0] = '\0';
    for (int lvl = 0; !S->kill_where[0] && lua_getstack(S->L, lvl, &ar); lvl++) {
        if (!lua_getinfo(S->L, "Sl", &ar)) continue;
        const char *f = dl__script_file(S, &ar);
        if (f) snprintf(S->kill_where, sizeof S->kill_where, "%s:%d", f, ar.currentline);
    }
}

/* A refused request that Lua does not retry at once (after its emergency
 * collection) has become a memory error: that ends the run. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    dl_script *S = ud;
    size_t old = ptr ? osize : 0;
    /* Frees and shrinks are Lua's emergency collection at work; another
     * growing request means Lua gave up on the refused one. */
    if (S->refused && nsize > old && !(ptr == S->refused_ptr && nsize == S->refused_size))
        kill_run(S, DL_KILL_MEMORY);
    if (nsize == 0) {
        free(ptr);
        S->mem -= old;
        return NULL;
    }
    if (nsize > old) {
        size_t limit = S->opts.memory + (S->killed ? KILL_SLACK : 0);
        if (S->mem - old + nsize > limit) {
            if (S->refused) kill_run(S, DL_KILL_MEMORY); /* the retry failed too */
            if (!S->refused) memory_refused(S);
            S->refused = true;
            S->refused_ptr = ptr;
            S->refused_size = nsize;
            return NULL;
        }
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    S->refused = false;
    S->mem = S->mem - old + nsize;
    if (S->mem > S->mem_peak) S->mem_peak = S->mem;
    return p;
}

/* ===================================================================== */
/* Instruction budget: the count hook                                    */
/* ===================================================================== */

/* Once a limit is hit the hook is re-armed to fire on every instruction and
 * raises each time, so a pcall that swallows one error meets the next at
 * its very next instruction (redis does the same). */
static void count_hook(lua_State *L, lua_Debug *ar)
{
    dl_script *S = dl__host(L);
    if (!S->killed) {
        if (S->refused) {
            kill_run(S, DL_KILL_MEMORY);
        } else {
            S->spent += (uint64_t)S->hook_step;
            if (S->spent < S->opts.budget) return;
            kill_run(S, DL_KILL_BUDGET);
            S->kill_where[0] = '\0'; /* a refusal may have left one */
        }
    }
    if (!S->kill_where[0] && lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
        snprintf(S->kill_where, sizeof S->kill_where, "%s:%d", ar->short_src, ar->currentline);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    push_kill_message(L, S);
    lua_error(L);
}

void dl__check_killed(lua_State *L)
{
    dl_script *S = dl__host(L);
    if (!S->killed) return;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    push_kill_message(L, S);
    lua_error(L);
}

/* ===================================================================== */
/* The sandbox                                                           */
/* ===================================================================== */

/* Libraries opened, one by one. Everything else (io, os, package, debug)
 * is never opened: lesson code is untrusted. */
static const luaL_Reg sandbox_libs[] = {
    {LUA_GNAME, luaopen_base},          /* core language */
    {LUA_TABLIBNAME, luaopen_table},    /* pure */
    {LUA_STRLIBNAME, luaopen_string},   /* pure, minus dump (below) */
    {LUA_MATHLIBNAME, luaopen_math},    /* pure; random seeded per run */
    {LUA_UTF8LIBNAME, luaopen_utf8},    /* pure */
    {LUA_COLIBNAME, luaopen_coroutine}, /* inlineCallbacks is built on it */
    {NULL, NULL},
};

/* Removed after opening, with the reason. */
static const struct {
    const char *table; /* NULL: a global */
    const char *name;
    const char *why;
} sandbox_deny[] = {
    {NULL, "dofile", "reads files"},
    {NULL, "loadfile", "reads files"},
    {NULL, "require", "loads modules from disk (never opened; removed in case)"},
    {LUA_STRLIBNAME, "dump", "makes bytecode, which could be loaded to break the VM"},
};

/* load(chunk [, chunkname [, mode [, env]]]): text only, and the chunk
 * name can never pose as a script file (no '@'). env defaults to the
 * sandbox globals; a table given by the script only holds sandbox values. */
static int sb_load(lua_State *L)
{
    size_t len;
    const char *src;
    luaL_Buffer b;
    lua_settop(L, 4); /* chunk, chunkname, mode (ignored: always "t"), env */
    if (lua_type(L, 1) == LUA_TFUNCTION) {
        luaL_buffinit(L, &b); /* pushes onto the stack top: collect pieces */
        for (;;) {
            lua_pushvalue(L, 1);
            lua_call(L, 0, 1);
            if (lua_isnil(L, -1) || (lua_isstring(L, -1) && lua_rawlen(L, -1) == 0)) {
                lua_pop(L, 1);
                break;
            }
            if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
            luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        lua_replace(L, 1);
    }
    src = luaL_checklstring(L, 1, &len);
    const char *given = luaL_optstring(L, 2, "load");
    lua_pushfstring(L, "=%s", given[0] == '@' || given[0] == '=' ? given + 1 : given);
    int st = luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t");
    if (st != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        lua_pushvalue(L, 4);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

/* setmetatable(t, mt): as Lua's, but a metatable with a __gc field is
 * refused. Finalizers run with hooks off (lgc.c, GCTM), so the budget could
 * never stop a __gc that loops; and 5.4 only marks an object for
 * finalization if __gc is present when the metatable is set, so checking
 * here is enough. */
static int sb_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
    }
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 2, 1);
    return 1;
}

/* xpcall's message handler: the script's handler, except once a limit is
 * hit. An error raised by the count hook reaches the handler with hooks
 * still off (ldo.c clears allowhook around a hook, and only an enclosing
 * pcall restores it), so a handler that loops could never be stopped. */
static int sb_xpcall_msgh(lua_State *L)
{
    dl_script *S = dl__host(L);
    if (S->killed) return 1; /* the kill error, unhandled */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sb_xpcall_done(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2; /* false, message */
    }
    return lua_gettop(L) - (int)extra;
}

/* xpcall(f, msgh, ...): Lua's own (lbaselib.c), with the handler wrapped. */
static int sb_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, sb_xpcall_msgh, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1); /* first result */
    lua_pushvalue(L, 1);   /* function */
    lua_rotate(L, 3, 2);   /* below the function's arguments */
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, sb_xpcall_done);
    return sb_xpcall_done(L, status, 2);
}

/* ---- C work the count hook cannot see ---------------------------------
 * A library function runs no Lua instructions while it works, so a loop in
 * C (a backtracking pattern, string.rep of "" a 10^14 times, table.move over
 * a huge range, a full collection) would outlast any budget. These wrappers
 * charge such work to the budget, or refuse it, before it starts. */

/* After a limit is hit, make L raise at its next instruction too. */
static void arm_kill(dl_script *S, lua_State *L)
{
    if (S->killed && !S->closing) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
}

void dl__charge_slow(dl_script *S, lua_State *L)
{
    if (!S->killed && S->spent >= S->opts.budget) {
        kill_run(S, DL_KILL_BUDGET);
        /* The message names the line that made the crossing (a loop's, say),
         * not wherever Lua happens to run next. Reading the stack allocates
         * nothing. */
        dl__where(L, 0, S->kill_where, sizeof S->kill_where);
    }
    arm_kill(S, L);
}

/* Charge cost instructions; ends the run like the count hook when the
 * budget is spent. */
static void charge(lua_State *L, double cost)
{
    dl_script *S = dl__host(L);
    if (cost > (double)S->opts.budget) cost = (double)S->opts.budget;
    dl__charge(S, L, cost > 0 ? (uint64_t)cost : 0);
    dl__check_killed(L);
}

/* collectgarbage(opt, ...): "collect", "step" and "count" only (the others
 * would switch the collector off, so the memory cap is all that is left, or
 * retune it); a collection costs one instruction per 16 bytes of heap. */
static int sb_collectgarbage(lua_State *L)
{
    static const char *const allowed[] = {"collect", "step", "count", "isrunning", NULL};
    const char *opt = luaL_optstring(L, 1, "collect");
    int i = 0;
    while (allowed[i] && strcmp(allowed[i], opt) != 0)
        i++;
    if (!allowed[i])
        return luaL_error(L, "collectgarbage(\"%s\") is not allowed in the sandbox", opt);
    if (i < 2) charge(L, (double)(dl__host(L))->mem / 16);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* string.rep(s, n [, sep]): charged one instruction per 64 bytes made and
 * per repetition (rep("", 1e14) makes nothing but loops 1e14 times). */
static int sb_rep(lua_State *L)
{
    size_t l = 0, lsep = 0;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    /* Text made is bounded by the memory cap; rep("", n) makes none. */
    if (n > 0) charge(L, l + lsep ? (double)n * (double)(l + lsep) / 64 : (double)n);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* table.move(a1, f, e, t [, a2]): one instruction per element moved. */
static int sb_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    if (e >= f) charge(L, (double)e - (double)f + 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* Worst-case steps of Lua's backtracking matcher: every start position
 * times the subject length per quantifier ("a-a-a-a-b" on "aaaa..."
 * is exponential in C). */
#define DL_PATTERN_MAX_STEPS 1e9
static double pattern_cost(const char *p, size_t lp, size_t ls)
{
    int q = 0;
    for (size_t i = 0; i < lp; i++) {
        if (p[i] == '%') {
            i++;
        } else if (p[i] == '[') {
            i++;
            if (i < lp && p[i] == '^') i++;
            do {
                if (i < lp && p[i] == '%') i++;
                i++;
            } while (i < lp && p[i] != ']');
        } else if ((p[i] == '*' || p[i] == '+' || p[i] == '-' || p[i] == '?') && i > 0) {
            q++;
        }
    }
    double cost = (double)ls + 1, base = (double)ls + 1;
    for (int k = 0; k < q && cost <= DL_PATTERN_MAX_STEPS; k++)
        cost *= base;
    return cost;
}

/* string.find / match / gmatch / gsub: refused when the pattern could
 * backtrack for longer than the budget allows. Upvalue 1: the original;
 * upvalue 2: true when a 4th argument `plain` exists (find). */
static int sb_pattern(lua_State *L)
{
    size_t ls, lp;
    luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    bool plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);
    if (!plain) {
        double cost = pattern_cost(p, lp, ls);
        if (cost > DL_PATTERN_MAX_STEPS) {
            char msg[160]; /* lua_pushfstring has no %e */
            snprintf(msg, sizeof msg,
                     "pattern too costly for the sandbox (up to %.0e steps on a "
                     "subject of %zu bytes)",
                     cost, ls);
            return luaL_error(L, "%s", msg);
        }
        charge(L, (double)ls / 16);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Wrap table[name] (a C function) in fn with the original as upvalue 1. */
static void wrap_lib(lua_State *L, const char *table, const char *name, lua_CFunction fn, int flag)
{
    if (table)
        lua_getglobal(L, table); /* push lib */
    else
        lua_pushglobaltable(L);
    lua_getfield(L, -1, name); /* push original */
    lua_pushboolean(L, flag);
    lua_pushcclosure(L, fn, 2); /* pop both; push wrapper */
    lua_setfield(L, -2, name);
    lua_pop(L, 1); /* pop lib */
}

/* Text printed by one run, at most: the output pane and `deferlab run`'s
 * stdout hold what lessons print (a few KiB); a print loop must not fill
 * the disk or the TUI's memory before the budget stops it. */
#define DL_SCRIPT_OUTPUT_MAX ((size_t)1 << 20)

/* Count len bytes of output; raises once the cap is passed (every later
 * print raises too, so a pcall around the loop prints nothing more). */
static void count_output(lua_State *L, dl_script *S, size_t len)
{
    if (S->printed <= DL_SCRIPT_OUTPUT_MAX && len <= DL_SCRIPT_OUTPUT_MAX - S->printed) {
        S->printed += len + 1;
        return;
    }
    if (S->printed <= DL_SCRIPT_OUTPUT_MAX) {
        S->printed = DL_SCRIPT_OUTPUT_MAX + 1;
        dl_engine_emit_text(S->eng, DL_EV_NOTE, "output stopped: more than 1 MiB printed");
    }
    luaL_error(L, "output limit exceeded (%d MiB printed)", (int)(DL_SCRIPT_OUTPUT_MAX >> 20));
}

/* print(...): one DL_EV_OUTPUT event per call, values tab-separated. */
static int sb_print(lua_State *L)
{
    dl_script *S = dl__script(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    count_output(L, S, lua_rawlen(L, -1));
    dl_engine_emit_text(S->eng, DL_EV_OUTPUT, lua_tostring(L, -1));
    dl__check_killed(L);
    return 0;
}

/* note(text): an annotation event. */
static int sb_note(lua_State *L)
{
    dl_script *S = dl__script(L);
    size_t len;
    const char *t = luaL_tolstring(L, 1, &len);
    count_output(L, S, len);
    dl_engine_emit_text(S->eng, DL_EV_NOTE, t);
    return 0;
}

/* Replaced (or added) globals, with the reason. */
static const struct {
    const char *name;
    lua_CFunction fn;
    const char *why;
} sandbox_replace[] = {
    {"load", sb_load, "text only, in the sandbox, never posing as a script file"},
    {"xpcall", sb_xpcall, "a handler must not run once a limit is hit (hooks are off)"},
    {"setmetatable", sb_setmetatable, "no __gc: finalizers run with hooks off"},
    {"print", sb_print, "output is an event, in order with the narrative"},
    {"note", sb_note, "an annotation event for lessons"},
};

static void open_sandbox(lua_State *L, dl_script *S)
{
    for (const luaL_Reg *lib = sandbox_libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1); /* push lib; sets global */
        lua_pop(L, 1);
    }
    for (size_t i = 0; i < sizeof sandbox_deny / sizeof sandbox_deny[0]; i++) {
        if (sandbox_deny[i].table) {
            lua_getglobal(L, sandbox_deny[i].table); /* push table */
            lua_pushnil(L);
            lua_setfield(L, -2, sandbox_deny[i].name);
            lua_pop(L, 1);
        } else {
            lua_pushnil(L);
            lua_setglobal(L, sandbox_deny[i].name);
        }
    }
    /* Replacements; each takes the original as its upvalue (some ignore it). */
    for (size_t i = 0; i < sizeof sandbox_replace / sizeof sandbox_replace[0]; i++) {
        lua_getglobal(L, sandbox_replace[i].name); /* push the original (or nil) */
        lua_pushcclosure(L, sandbox_replace[i].fn, 1);
        lua_setglobal(L, sandbox_replace[i].name);
    }

    /* C work the count hook cannot see: charged or refused (see charge()). */
    wrap_lib(L, NULL, "collectgarbage", sb_collectgarbage, 0);
    wrap_lib(L, LUA_STRLIBNAME, "rep", sb_rep, 0);
    wrap_lib(L, LUA_TABLIBNAME, "move", sb_move, 0);
    wrap_lib(L, LUA_STRLIBNAME, "find", sb_pattern, 1);
    wrap_lib(L, LUA_STRLIBNAME, "match", sb_pattern, 0);
    wrap_lib(L, LUA_STRLIBNAME, "gmatch", sb_pattern, 0);
    wrap_lib(L, LUA_STRLIBNAME, "gsub", sb_pattern, 0);

    /* math.random: the same sequence every run. */
    lua_getglobal(L, LUA_MATHLIBNAME);
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)S->opts.seed);
    lua_call(L, 1, 0);
    lua_pop(L, 1);

    /* The globals' metatable is locked: setmetatable(_G, ...) fails. */
    lua_pushglobaltable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "the sandbox globals are locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
}

/* Everything that may raise while building the state, run protected. */
static int setup(lua_State *L)
{
    dl_script *S = dl__host(L);
    S->cache_ref = dl__new_weak_table(L, "v"); /* engine object -> its box */
    S->names_ref = dl__new_weak_table(L, "k"); /* function -> its definition's name */
    dl__open_shared(L, S);
    for (int why = DL_KILL_BUDGET; why <= DL_KILL_MEMORY; why++) {
        char msg[96];
        kill_message(S, why, msg, sizeof msg);
        lua_pushstring(L, msg);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &KILLMSG_KEY[why]);
    }
    open_sandbox(L, S);
    dl__new_box_type(L, DL_MT_OBJECT, NULL, NULL);
    dl__open_failure(L);
    dl__open_deferred(L);
    dl__open_coro(L);
    dl__open_time(L);
    dl__open_dlist(L);
    dl__open_primitives(L);
    dl__open_seed(L);
    return 0;
}

dl_script *dl_script_new(const dl_script_opts *opts)
{
    dl_script *S = calloc(1, sizeof *S);
    if (!S) return NULL;
    dl_script_opts_default(&S->opts);
    if (opts) {
        if (opts->budget) S->opts.budget = opts->budget;
        if (opts->memory) S->opts.memory = opts->memory;
        S->opts.seed = opts->seed;
        S->opts.semantics = opts->semantics;
        S->opts.make_reactor = opts->make_reactor;
        S->opts.make_reactor_ud = opts->make_reactor_ud;
    }
    S->eng = dl_engine_new();
    if (!S->eng) goto fail;
    S->eng->semantics = S->opts.semantics;
    S->eng->index_base = 1; /* Lua counts from 1 (lua-api.md) */
    S->eng->locator = dl__locate;
    S->eng->locator_ud = S;
    S->eng->data = S;
    S->L = lua_newstate(l_alloc, S);
    if (!S->L) goto fail;
    *(dl_script **)lua_getextraspace(S->L) = S;
    S->cur = S->L;
    lua_pushcfunction(S->L, setup);
    if (lua_pcall(S->L, 0, 0, 0) != LUA_OK) goto fail;
    S->hook_step = S->opts.budget < 1000 ? (int)S->opts.budget : 1000;
    lua_sethook(S->L, count_hook, LUA_MASKCOUNT, S->hook_step);
    return S;
fail:
    dl_script_free(S);
    return NULL;
}

/* ===================================================================== */
/* Running chunks                                                        */
/* ===================================================================== */

/* Top-level message handler: "file:line: message" into S->err, plus a
 * traceback. Writes C buffers so that it works even at the memory cap. */
static int top_msgh(lua_State *L)
{
    dl_script *S = dl__host(L);
    char where[256] = "";
    dl__where(L, 1, where, sizeof where);
    if (S->killed) {
        if (!S->kill_where[0]) snprintf(S->kill_where, sizeof S->kill_where, "%s", where);
        return 1;
    }
    char msg[1024];
    dl_box *b = dl__box(L, 1);
    if (lua_type(L, 1) == LUA_TSTRING) {
        char loc[256];
        const char *m = lua_tostring(L, 1);
        dl__strip_location(m, loc, sizeof loc);
        if (loc[0] || !where[0])
            snprintf(msg, sizeof msg, "%s", m);
        else
            snprintf(msg, sizeof msg, "%s: %s", where, m);
    } else if (b && (b->v.kind == DL_EXC || b->v.kind == DL_FAILURE)) {
        dl_exception *e = b->v.kind == DL_EXC ? dl_exception_of(b->v) : dl_failure_of(b->v)->exc;
        char es[512];
        dl_exception_str(e, es, sizeof es);
        snprintf(msg, sizeof msg, "%s%s%s", where, where[0] ? ": " : "", es);
    } else {
        char rep[256];
        dl__value_repr(S, L, 1, rep, sizeof rep, 0);
        snprintf(msg, sizeof msg, "%s%s(error object is a %s value: %s)", where,
                 where[0] ? ": " : "", luaL_typename(L, 1), rep);
    }
    snprintf(S->err, sizeof S->err, "%s", msg);
    luaL_traceback(L, L, NULL, 1);
    free(S->traceback);
    S->traceback = strdup(lua_tostring(L, -1));
    return 1;
}

static void set_kill_error(dl_script *S)
{
    if (S->kill_where[0])
        snprintf(S->err, sizeof S->err, "%s: %s", S->kill_where, S->kill_msg);
    else
        snprintf(S->err, sizeof S->err, "%s", S->kill_msg);
}

int dl_script_run(dl_script *S, const char *name, const char *src, size_t len)
{
    lua_State *L = S->L;
    if (S->finished || S->killed) return -1;
    S->err[0] = '\0';
    if (dl__add_chunk(S, name, src, len) != 0) {
        snprintf(S->err, sizeof S->err, "%s: out of memory", name);
        return -1;
    }
    if (lua_checkstack(L, 4)) {
        lua_pushcfunction(L, top_msgh);
        int base = lua_gettop(L);
        char chunkname[512];
        snprintf(chunkname, sizeof chunkname, "@%s", name);
        S->cur = L;
        int st = luaL_loadbufferx(L, src, len, chunkname, "t");
        if (st == LUA_OK)
            st = lua_pcall(L, 0, 0, base);
        else
            snprintf(S->err, sizeof S->err, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_settop(L, base - 1);
        /* Lua may give up on a refused allocation without retrying it (no
         * emergency collection possible): that is the memory cap too. */
        if (st == LUA_ERRMEM && S->refused && !S->killed) kill_run(S, DL_KILL_MEMORY);
        if (S->killed) {
            set_kill_error(S);
            return -1;
        }
        if (st != LUA_OK) {
            if (!S->err[0])
                snprintf(S->err, sizeof S->err, "%s: %s", name,
                         st == LUA_ERRMEM ? "not enough memory" : "error in error handling");
            return -1;
        }
        return 0;
    }
    snprintf(S->err, sizeof S->err, "%s: stack overflow", name);
    return -1;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Run each ```lua block of a Markdown file as its own chunk, in order.
 * Every chunk is the whole file with non-block lines blanked, so line
 * numbers are the .md's own. */
static int run_markdown(dl_script *S, const char *path, const char *text, size_t len)
{
    if (dl__add_chunk(S, path, text, len) != 0) {
        snprintf(S->err, sizeof S->err, "%s: out of memory", path);
        return -1;
    }
    char *chunk = malloc(len + 1);
    if (!chunk) {
        snprintf(S->err, sizeof S->err, "%s: out of memory", path);
        return -1;
    }
    size_t pos = 0;
    int rc = 0;
    while (pos < len && rc == 0) {
        /* Find the next line starting with ```lua. */
        const char *p = text + pos;
        const char *eol = memchr(p, '\n', len - pos);
        size_t next = eol ? (size_t)(eol - text) + 1 : len;
        if (strncmp(p, "```lua", 6) != 0) {
            pos = next;
            continue;
        }
        /* Blank everything up to and including the fence line. */
        size_t w = 0;
        for (size_t i = 0; i < next; i++)
            if (text[i] == '\n') chunk[w++] = '\n';
        pos = next;
        while (pos < len) {
            p = text + pos;
            eol = memchr(p, '\n', len - pos);
            next = eol ? (size_t)(eol - text) + 1 : len;
            if (strncmp(p, "```", 3) == 0) {
                pos = next;
                break;
            }
            memcpy(chunk + w, p, next - pos);
            w += next - pos;
            pos = next;
        }
        rc = dl_script_run(S, path, chunk, w);
    }
    free(chunk);
    return rc;
}

int dl_script_run_file(dl_script *S, const char *path)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        snprintf(S->err, sizeof S->err, "%s: cannot read the file", path);
        return -1;
    }
    int rc = ends_with(path, ".md") ? run_markdown(S, path, text, len)
                                    : dl_script_run(S, path, text, len);
    free(text);
    return rc;
}

/* ===================================================================== */
/* The end of a run                                                      */
/* ===================================================================== */

int dl_script_finish(dl_script *S)
{
    if (!S->finished) {
        S->finished = true;
        if (S->L) {
            S->closing = true;
            lua_close(S->L);
            S->closed = true;
            S->L = S->cur = NULL;
        }
        dl__drop_parked(S);
        /* Reactors last: a running LoopingCall and its clock keep each
         * other alive until the clock is closed. */
        for (size_t i = 0; i < S->nreactors; i++)
            dl_reactor_close(S->reactors[i]);
        for (size_t i = 0; i < S->nreactors; i++)
            dl_obj_release(S->reactors[i]);
        S->nreactors = 0;
        dl_engine_free(S->eng);
        S->eng = NULL;
        if (S->killed && !S->err[0]) set_kill_error(S);
    }
    return S->killed ? -1 : 0;
}

void dl_script_free(dl_script *S)
{
    if (!S) return;
    dl_script_finish(S);
    for (size_t i = 0; i < S->nchunks; i++) {
        free(S->chunks[i].name);
        for (size_t k = 0; k < S->chunks[i].nlines; k++) {
            free(S->chunks[i].lines[k]);
            free(S->chunks[i].sites[k].text);
        }
        free(S->chunks[i].lines);
        free(S->chunks[i].sites);
    }
    free(S->chunks);
    for (size_t i = 0; i < S->names_cap; i++)
        free(S->names[i].name);
    free(S->names);
    free(S->traceback);
    free(S->parked);
    free(S->reactors);
    free(S);
}
