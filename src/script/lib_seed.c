/* lib_seed.c - the seed blog's async structures (lua-api.md, "The seed
 * blog's async structures").
 *
 *   DeferredPool()                      p:add(d), p:notifyWhenEmpty([testImmediately=true]),
 *                                       p.size, p.waiting
 *   DeferredDict()                      dd[k] -> Deferred, dd[k] = v, #dd
 *   DeferredListObserver{maintainHistory=bool}
 *                                       o:append(d) -> index (1-based), o:observe(fn),
 *                                       o.pendingCount, o.successCount, o.failureCount,
 *                                       o.history ({{index, success, value}, ...} or nil)
 *   RetryingCall(fn, ...)               r:start([backoff [, failureTester]]) -> Deferred,
 *                                       r.attempts, r.running, r.failure
 *   simpleBackoffIterator{maxResults=10, maxDelay=120, now=true, initDelay=0.01, incFunc=fn}
 *                                       -> a function giving one delay per call, nil when done
 *   ResizableDispatchQueue(fn, width)   q:put(arg [, priority=0]) -> Deferred of the Job,
 *                                       q.width (read/write), q:pending(), q:underway(),
 *                                       q:pause() -> Deferred, q:resume([width]),
 *                                       q:stop() -> Deferred of the unprocessed jobs,
 *                                       q:reprioritize(job, p), q.paused, q.stopped
 *   Job                                 job.jobarg, priority, queuedAt, launchedAt,
 *                                       stoppedAt (nil until reached), result, failure,
 *                                       state; job:cancel(), job:watch() -> Deferred
 *   DeferredPriorityQueue()             pq:put(v [, priority=0]), pq:get() -> Deferred,
 *                                       pq.pending (array copy, best first), pq.waiting, #pq
 *   DeferredParallelCommandExecutor()   x:registerFunction(fn), x:execute(...) -> Deferred,
 *                                       x.functions, x.running; all failed:
 *                                       ParallelCommandException, e.failures (Lua array)
 *   ControllableDeferred(d)             c:callback(v), c:errback(err), c:cancel(),
 *                                       c:pause(), c:unpause(), c.deferred, c.original,
 *                                       c.fired; every other Deferred method and field
 *                                       (addCallback ..., called, result) is c.deferred's
 *
 * Decisions (the engine headers give the structures' own):
 *   - One box metatable for all nine kinds ("deferlab.structure"), registered
 *     under each class name ("deferlab.Job" ...) so boxes the engine hands
 *     back find it: the host has room for 16 box types and 11 are taken.
 *     __index dispatches on the engine object's class.
 *   - RetryingCall and ResizableDispatchQueue use the global `reactor` at the
 *     time they are made (as LoopingCall does).
 *   - Indices are 1-based in Lua: observe()'s index, append()'s return,
 *     history entries. Extra arguments of RetryingCall(fn, ...) and
 *     execute(...) are passed on to fn.
 *   - ControllableDeferred returns a wrapper, not the Deferred itself: a
 *     plain callback() on c's Deferred would not cancel the original and a
 *     late original would then raise AlreadyCalledError. Where a Deferred
 *     itself is needed (DeferredList, yield, returning it from a callback)
 *     pass c.deferred.
 *   - A backoff function is called with no arguments; it returns the next
 *     delay (a number >= 0) or nil when done; raising fails the retrying.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"
#include "engine/controllable.h"
#include "engine/ddict.h"
#include "engine/observer.h"
#include "engine/pce.h"
#include "engine/pool.h"
#include "engine/rdq.h"
#include "engine/retry.h"
#include "script/script_int.h"

#define MT_SEED    "deferlab.structure"
#define MT_BACKOFF "deferlab.BackoffState"

enum { K_POOL, K_DDICT, K_DLO, K_RC, K_RDQ, K_JOB, K_DPQ, K_PCE, K_CTRL, K_COUNT };

/* Engine class names (push_box looks "deferlab.<name>" up). */
static const char *const kind_names[K_COUNT] = {
    "DeferredPool",           "DeferredDict",
    "DeferredListObserver",   "RetryingCall",
    "ResizableDispatchQueue", "Job",
    "DeferredPriorityQueue",  "DeferredParallelCommandExecutor",
    "ControllableDeferred",
};

static int kind_of(dl_value v)
{
    if (v.kind != DL_OBJ) return -1;
    if (dl_pool_of(v)) return K_POOL;
    if (dl_ddict_of(v)) return K_DDICT;
    if (dl_dlo_of(v)) return K_DLO;
    if (dl_retrying_call_of(v)) return K_RC;
    if (dl_rdq_of(v)) return K_RDQ;
    if (dl_job_of(v)) return K_JOB;
    if (dl_dpq_of(v)) return K_DPQ;
    if (dl_pce_of(v)) return K_PCE;
    if (dl_controllable_of(v)) return K_CTRL;
    return -1;
}

/* The engine object of kind k at idx (raises a type error otherwise). */
static void *check_kind(lua_State *L, int idx, int k)
{
    dl_box *b = dl__box_is(L, idx, MT_SEED);
    int got = b ? kind_of(b->v) : -1;
    if (got == k) return b->v.u.o;
    if (got < 0) luaL_typeerror(L, idx, kind_names[k]);
    luaL_argerror(L, idx,
                  lua_pushfstring(L, "%s expected, got %s", kind_names[k], kind_names[got]));
    return NULL;
}

#define check_pool(L, i)  ((dl_pool *)check_kind(L, i, K_POOL))
#define check_ddict(L, i) ((dl_ddict *)check_kind(L, i, K_DDICT))
#define check_dlo(L, i)   ((dl_dlo *)check_kind(L, i, K_DLO))
#define check_rc(L, i)    ((dl_retrying_call *)check_kind(L, i, K_RC))
#define check_rdq(L, i)   ((dl_rdq *)check_kind(L, i, K_RDQ))
#define check_job(L, i)   ((dl_job *)check_kind(L, i, K_JOB))
#define check_dpq(L, i)   ((dl_dpq *)check_kind(L, i, K_DPQ))
#define check_pce(L, i)   ((dl_pce *)check_kind(L, i, K_PCE))
#define check_ctrl(L, i)  ((dl_controllable *)check_kind(L, i, K_CTRL))

/* Push a new structure: the creator's reference o moves to the box (and is
 * released even if pushing raises). */
static int push_struct(lua_State *L, void *o)
{
    dl__push_owned(L, dl_obj_value(DL_OBJ, o));
    dl__check_killed(L);
    return 1;
}

/* Push a Deferred the engine returned after rc (raises on rc < 0); labelled
 * from the calling line ("local done = pool:notifyWhenEmpty()"). */
static int push_deferred_rc(lua_State *L, int rc, dl_deferred *d)
{
    if (rc < 0 && d) dl_deferred_release(d);
    if (rc < 0 || !d) dl__check(L, rc < 0 ? rc : -1);
    dl__check_killed(L);
    dl__push_new_deferred(L, d, "");
    return 1;
}

static const char *field_key(lua_State *L)
{
    return lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* x[1] is nil */
}

/* The run's reactor: the global `reactor`, else the first Clock made. */
static dl_reactor *run_reactor(lua_State *L)
{
    dl_script *S = dl__host(L);
    lua_getglobal(L, "reactor");
    dl_box *b = dl__box(L, -1);
    dl_reactor *r = b ? dl_reactor_of(b->v) : NULL;
    lua_pop(L, 1);
    if (!r && S->nreactors) r = S->reactors[0];
    if (!r) luaL_error(L, "there is no reactor (the global 'reactor' is not a Clock)");
    return r;
}

static void push_time(lua_State *L, double t)
{
    if (isnan(t))
        lua_pushnil(L);
    else
        lua_pushnumber(L, t);
}

/* A priority as given: put(v, 5) reads back 5, not 5.0. */
static void push_priority(lua_State *L, double p)
{
    if (p == floor(p) && fabs(p) < 9007199254740992.0)
        lua_pushinteger(L, (lua_Integer)p);
    else
        lua_pushnumber(L, p);
}

/* A priority argument: a number, or nil for 0. */
static double opt_priority(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx)) return 0.0;
    double p = (double)luaL_checknumber(L, idx);
    if (isnan(p)) luaL_argerror(L, idx, "priority is NaN");
    return p;
}

/* ===================================================================== */
/* DeferredPool                                                          */
/* ===================================================================== */

static int l_pool(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_pool *p = dl_pool_new(S->eng);
    if (!p) dl__check(L, -1);
    return push_struct(L, p);
}

static int pool_add(lua_State *L)
{
    dl__script(L);
    dl_pool *p = check_pool(L, 1);
    dl__check(L, dl_pool_add(p, dl__check_deferred(L, 2)));
    return 0;
}

static int pool_notify(lua_State *L)
{
    dl__script(L);
    dl_pool *p = check_pool(L, 1);
    bool now = lua_isnoneornil(L, 2) ? true : lua_toboolean(L, 2);
    return push_deferred_rc(L, 0, dl_pool_notify_when_empty(p, now));
}

static int pool_index(lua_State *L, void *o, const char *k)
{
    dl_pool *p = o;
    if (strcmp(k, "size") == 0)
        lua_pushinteger(L, (lua_Integer)dl_pool_size(p));
    else if (strcmp(k, "waiting") == 0)
        lua_pushinteger(L, (lua_Integer)dl_pool_waiting(p));
    else
        return 0;
    return 1;
}

static const luaL_Reg pool_methods[] = {
    {"add", pool_add},
    {"notifyWhenEmpty", pool_notify},
    {NULL, NULL},
};

/* ===================================================================== */
/* DeferredDict                                                          */
/* ===================================================================== */

static int l_ddict(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_ddict *dd = dl_ddict_new(S->eng);
    if (!dd) dl__check(L, -1);
    return push_struct(L, dd);
}

/* Keys: strings and integers (integral floats are the same key). */
static void check_key(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING) return;
    if (t == LUA_TNUMBER) {
        lua_Number n = lua_tonumber(L, idx);
        if (lua_isinteger(L, idx) || (n == floor(n) && isfinite(n))) return;
    }
    dl__raise_type(L, &dl_type_TypeError,
                   "a DeferredDict key must be a string or an integer, got %s",
                   t == LUA_TNUMBER ? "a non-integral number" : luaL_typename(L, idx));
}

/* dd[k] */
static int ddict_get(lua_State *L, dl_ddict *dd)
{
    check_key(L, 2);
    dl_value k = dl__to_value(L, 2);
    dl_deferred *d = NULL;
    int rc = dl_ddict_get(dd, k, &d);
    dl_release(k);
    return push_deferred_rc(L, rc, d);
}

/* dd[k] = v */
static int ddict_set(lua_State *L, dl_ddict *dd)
{
    check_key(L, 2);
    dl_script *S = dl__host(L);
    dl_value k = dl__to_value(L, 2);
    size_t slot = dl__park(S, k);
    dl_value v = dl__to_value(L, 3);
    dl__unpark(S, slot);
    int rc = dl_ddict_set(dd, k, v);
    dl_release(k);
    dl_release(v);
    dl__check(L, rc);
    return 0;
}

/* ===================================================================== */
/* DeferredListObserver                                                  */
/* ===================================================================== */

static int l_dlo(lua_State *L)
{
    dl_script *S = dl__script(L);
    bool history = false;
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_getfield(L, 1, "maintainHistory");
        history = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    dl_dlo *o = dl_dlo_new(S->eng, history);
    if (!o) dl__check(L, -1);
    return push_struct(L, o);
}

static int dlo_append(lua_State *L)
{
    dl__script(L);
    dl_dlo *o = check_dlo(L, 1);
    int64_t i = dl_dlo_append(o, dl__check_deferred(L, 2));
    if (i < 0) dl__check(L, (int)i);
    dl__check_killed(L);
    lua_pushinteger(L, (lua_Integer)i + 1);
    return 1;
}

/* The observer seen by the engine: {index, success, value} with the index
 * made 1-based, then the Lua function called with the three unpacked. */
static int observer_call(void *ud, dl_value arg, dl_value *out)
{
    dl_fn *inner = ud;
    dl_value l = dl_list_new(3);
    if (l.kind != DL_LIST) {
        *out = dl_fail_value(&dl_type_RuntimeError, "out of memory");
        return DL_ERAISED;
    }
    dl_value idx = dl_list_get(arg, 0);
    dl_list_push(l, idx.kind == DL_INT ? dl_int(idx.u.i + 1) : dl_retain(idx));
    dl_list_push(l, dl_retain(dl_list_get(arg, 1)));
    dl_list_push(l, dl_retain(dl_list_get(arg, 2)));
    int rc = dl_fn_call(*inner, l, out);
    dl_release(l);
    return rc;
}

static void observer_release(void *ud)
{
    dl_fn *inner = ud;
    dl_fn_release(*inner);
    free(inner);
}

static const char *observer_name(void *ud)
{
    return dl_fn_name(*(dl_fn *)ud);
}

static const dl_fn_class observer_class = {observer_call, observer_release, observer_name,
                                           "observer"};

static int dlo_observe(lua_State *L)
{
    dl__script(L);
    dl_dlo *o = check_dlo(L, 1);
    dl__check_callable(L, 2, "an observer");
    dl_fn f = dl__lua_fn(L, 2, 3, 0, DL_INPUT_UNPACK); /* may raise: nothing owned yet */
    dl_fn *inner = malloc(sizeof *inner);
    if (!inner) {
        dl_fn_release(f);
        return luaL_error(L, "out of memory");
    }
    *inner = f;
    dl__check(L, dl_dlo_observe(o, dl_fn_make(&observer_class, inner)));
    return 0;
}

/* history: {{index, success, value}, ...} with 1-based indices, or nil. */
static void push_history(lua_State *L, dl_dlo *o)
{
    dl_value h = dl_dlo_history(o);
    if (h.kind != DL_LIST) {
        lua_pushnil(L);
        return;
    }
    dl__push(L, h); /* fresh tables: safe to renumber */
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, i) == LUA_TTABLE && lua_rawgeti(L, -1, 1) == LUA_TNUMBER &&
            lua_isinteger(L, -1)) {
            lua_Integer idx = lua_tointeger(L, -1);
            lua_pop(L, 1);
            lua_pushinteger(L, idx + 1);
            lua_rawseti(L, -2, 1);
        } else {
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
}

static int dlo_index(lua_State *L, void *obj, const char *k)
{
    dl_dlo *o = obj;
    if (strcmp(k, "pendingCount") == 0)
        lua_pushinteger(L, (lua_Integer)dl_dlo_pending_count(o));
    else if (strcmp(k, "successCount") == 0)
        lua_pushinteger(L, (lua_Integer)dl_dlo_success_count(o));
    else if (strcmp(k, "failureCount") == 0)
        lua_pushinteger(L, (lua_Integer)dl_dlo_failure_count(o));
    else if (strcmp(k, "history") == 0)
        push_history(L, o);
    else
        return 0;
    return 1;
}

static const luaL_Reg dlo_methods[] = {
    {"append", dlo_append},
    {"observe", dlo_observe},
    {NULL, NULL},
};

/* ===================================================================== */
/* Backoff iterators and RetryingCall                                    */
/* ===================================================================== */

/* A Lua function as a backoff iterator: one delay per call, nil when done. */
typedef struct lua_backoff {
    dl_fn fn;
    bool done;
} lua_backoff;

static int lua_backoff_next(void *ud, double *delay, dl_value *failure)
{
    lua_backoff *b = ud;
    if (b->done) return 0;
    dl_value out = dl_none();
    int rc = dl_fn_call(b->fn, dl_none(), &out);
    if (rc || dl_is_failure(out)) {
        b->done = true;
        if (!dl_is_failure(out)) {
            dl_release(out);
            out = dl_fail_value(&dl_type_RuntimeError, "the backoff iterator failed");
        }
        *failure = out;
        return DL_ERAISED;
    }
    if (out.kind == DL_NONE) {
        b->done = true;
        return 0;
    }
    double t = out.kind == DL_INT ? (double)out.u.i : out.kind == DL_NUM ? out.u.n : NAN;
    dl_release(out);
    if (isnan(t) || t < 0 || !isfinite(t)) {
        b->done = true;
        *failure = dl_fail_value(&dl_type_ValueError,
                                 "a backoff iterator must return a delay >= 0 or nil");
        return DL_ERAISED;
    }
    *delay = t;
    return 1;
}

static void lua_backoff_release(void *ud)
{
    lua_backoff *b = ud;
    dl_fn_release(b->fn);
    free(b);
}

static const dl_backoff_class lua_backoff_class = {lua_backoff_next, lua_backoff_release};

/* The backoff argument at idx: nil (the default), an array of delays, or a
 * callable iterator. */
static dl_backoff check_backoff(lua_State *L, int idx)
{
    dl_script *S = dl__host(L);
    dl_backoff b = dl_backoff_none();
    if (lua_isnoneornil(L, idx)) return b;
    if (dl__callable(L, idx)) {
        dl_fn fn = dl__lua_fn(L, idx, 0, 0, DL_INPUT_NONE); /* may raise: nothing owned yet */
        lua_backoff *lb = malloc(sizeof *lb);
        if (!lb) {
            dl_fn_release(fn);
            luaL_error(L, "out of memory");
        }
        lb->fn = fn;
        lb->done = false;
        b.cls = &lua_backoff_class;
        b.ud = lb;
        return b;
    }
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_typeerror(L, idx, "array of delays or iterator function");
    lua_Integer n = luaL_len(L, idx);
    if (n < 0) n = 0;
    if (n > 100000) luaL_argerror(L, idx, "too many delays");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        int isnum = 0;
        lua_Number t = lua_tonumberx(L, -1, &isnum);
        if (!isnum || lua_type(L, -1) != LUA_TNUMBER || t < 0 || !isfinite(t))
            luaL_error(L, "bad argument #%d to 'start' (delay %d must be a number >= 0, got %s)",
                       idx - 1, (int)i,
                       lua_type(L, -1) != LUA_TNUMBER ? luaL_typename(L, -1)
                       : isfinite(t)                  ? "a negative number"
                                                      : "a number that is not finite");
        lua_pop(L, 1);
    }
    /* Every check is done: nothing raises from here on. */
    double *ds = malloc(((size_t)n + 1) * sizeof *ds);
    if (!ds) luaL_error(L, "out of memory");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        ds[i - 1] = (double)lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    int rc = dl_backoff_from_list(S->eng, ds, (size_t)n, &b);
    free(ds);
    dl__check(L, rc);
    return b;
}

/* The state behind a simpleBackoffIterator function (a closure upvalue). */
typedef struct backoff_state {
    dl_backoff b;
} backoff_state;

static int backoff_state_gc(lua_State *L)
{
    backoff_state *s = luaL_checkudata(L, 1, MT_BACKOFF);
    dl_backoff b = s->b;
    s->b = dl_backoff_none(); /* idempotent */
    dl_backoff_release(b);
    return 0;
}

/* The iterator function: the next delay, or nil when done. */
static int backoff_iter(lua_State *L)
{
    dl__script(L);
    backoff_state *s = lua_touserdata(L, lua_upvalueindex(1));
    double delay = 0;
    dl_value failure = dl_none();
    int rc = dl_backoff_next(s->b, &delay, &failure);
    if (rc < 0) {
        dl__push_owned(L, failure);
        dl__check_killed(L);
        dl_box *fb = dl__box(L, -1);
        if (fb && fb->v.kind == DL_FAILURE) {
            /* Raise the exception itself, as dl__check does. */
            dl__push(L, dl_obj_value(DL_EXC, dl_failure_of(fb->v)->exc));
        }
        return lua_error(L);
    }
    dl__check_killed(L);
    if (rc == 0)
        lua_pushnil(L);
    else
        lua_pushnumber(L, delay);
    return 1;
}

static lua_Number opt_field_number(lua_State *L, int t, const char *name, lua_Number def,
                                   bool integer)
{
    if (t == 0) return def;
    lua_getfield(L, t, name);
    lua_Number v = def;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER || (integer && !lua_isinteger(L, -1)))
            luaL_error(L, "bad option '%s' to 'simpleBackoffIterator' (%s expected, got %s)", name,
                       integer ? "integer" : "number", luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* simpleBackoffIterator{maxResults=10, maxDelay=120, now=true, initDelay=0.01, incFunc=fn} */
static int l_simple_backoff(lua_State *L)
{
    dl_script *S = dl__script(L);
    int t = 0;
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        t = 1;
    }
    lua_Integer max_results =
        (lua_Integer)opt_field_number(L, t, "maxResults", DL_BACKOFF_DEFAULT_MAX_RESULTS, true);
    if (t) {
        lua_getfield(L, t, "maxResults");
        if (lua_isinteger(L, -1)) max_results = lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    double max_delay = opt_field_number(L, t, "maxDelay", DL_BACKOFF_DEFAULT_MAX_DELAY, false);
    double init_delay = opt_field_number(L, t, "initDelay", DL_BACKOFF_DEFAULT_INIT_DELAY, false);
    if (!(max_delay >= 0) || !(init_delay >= 0) || !isfinite(init_delay))
        luaL_error(L, "bad option to 'simpleBackoffIterator' (%s must be a delay >= 0)",
                   !(max_delay >= 0) ? "maxDelay" : "initDelay");
    bool now = true;
    if (t) {
        lua_getfield(L, t, "now");
        if (!lua_isnil(L, -1)) {
            if (!lua_isboolean(L, -1))
                luaL_error(L,
                           "bad option 'now' to 'simpleBackoffIterator' (boolean expected, got %s)",
                           luaL_typename(L, -1));
            now = lua_toboolean(L, -1);
        }
        lua_pop(L, 1);
    }
    int top = lua_gettop(L);
    bool has_inc = false;
    if (t) {
        lua_getfield(L, t, "incFunc"); /* stays at top + 1 */
        if (!lua_isnil(L, -1)) {
            if (!dl__callable(L, -1))
                dl__raise_type(L, &dl_type_AssertionError, "incFunc must be callable, got %s",
                               luaL_typename(L, -1));
            has_inc = true;
        }
    }
    /* The state first (closed: nothing to free), then the engine iterator. */
    backoff_state *s = lua_newuserdatauv(L, sizeof *s, 0); /* push state */
    s->b = dl_backoff_none();
    luaL_setmetatable(L, MT_BACKOFF);
    dl_fn inc = has_inc ? dl__lua_fn(L, top + 1, 0, 0, DL_INPUT_ONE) : dl_passthru();
    dl__check(
        L, dl_simple_backoff(S->eng, (int64_t)max_results, max_delay, now, init_delay, inc, &s->b));
    lua_pushcclosure(L, backoff_iter, 1); /* pop state; push the iterator */
    return 1;
}

/* RetryingCall(fn, ...) */
static int l_retrying_call(lua_State *L)
{
    dl__script(L);
    if (lua_isnoneornil(L, 1))
        dl__raise_type(L, &dl_type_TypeError, "RetryingCall() needs the function to call");
    dl__check_callable(L, 1, "RetryingCall's function");
    dl_reactor *r = run_reactor(L);
    dl_fn fn = dl__lua_fn(L, 1, 2, lua_gettop(L) - 1, DL_INPUT_NONE);
    dl_retrying_call *rc = dl_retrying_call_new(r, fn, dl_none());
    if (!rc) dl__check(L, -1);
    return push_struct(L, rc);
}

/* Park a backoff while Lua may raise: a tiny owner object. */
typedef struct backoff_holder {
    dl_obj hdr;
    dl_backoff b;
} backoff_holder;

static void holder_destroy(dl_obj *o)
{
    backoff_holder *h = (backoff_holder *)o;
    dl_backoff_release(h->b);
    free(h);
}

static const dl_class holder_class = {"backoff", holder_destroy, NULL};

/* r:start([backoff [, failureTester]]) */
static int rc_start(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_retrying_call *rc = check_rc(L, 1);
    if (!lua_isnoneornil(L, 3)) dl__check_callable(L, 3, "failureTester");
    if (!lua_isnoneornil(L, 2) && !dl__callable(L, 2) && lua_type(L, 2) != LUA_TTABLE)
        luaL_typeerror(L, 2, "array of delays or iterator function");
    backoff_holder *h = calloc(1, sizeof *h);
    if (!h) return luaL_error(L, "out of memory");
    dl_obj_init(&h->hdr, &holder_class);
    size_t slot = dl__park(S, dl_obj_value(DL_OBJ, h)); /* released if Lua raises */
    h->b = check_backoff(L, 2);
    dl_fn tester = lua_isnoneornil(L, 3) ? dl_passthru() : dl__lua_fn(L, 3, 4, 0, DL_INPUT_ONE);
    dl_backoff b = h->b;
    h->b = dl_backoff_none();
    dl__unpark(S, slot);
    dl_obj_release(h);
    dl_deferred *d = NULL;
    int err = dl_retrying_call_start(rc, b, tester, &d);
    return push_deferred_rc(L, err, d);
}

static int rc_index(lua_State *L, void *o, const char *k)
{
    dl_retrying_call *rc = o;
    if (strcmp(k, "attempts") == 0)
        lua_pushinteger(L, (lua_Integer)dl_retrying_call_attempts(rc));
    else if (strcmp(k, "running") == 0)
        lua_pushboolean(L, dl_retrying_call_running(rc));
    else if (strcmp(k, "failure") == 0)
        dl__push(L, dl_retrying_call_failure(rc));
    else
        return 0;
    return 1;
}

static const luaL_Reg rc_methods[] = {
    {"start", rc_start},
    {NULL, NULL},
};

/* ===================================================================== */
/* DeferredPriorityQueue                                                 */
/* ===================================================================== */

static int l_dpq(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_dpq *q = dl_dpq_new(S->eng);
    if (!q) dl__check(L, -1);
    return push_struct(L, q);
}

static int dpq_put(lua_State *L)
{
    dl__script(L);
    dl_dpq *q = check_dpq(L, 1);
    double p = opt_priority(L, 3);
    dl_value v = dl__to_value(L, 2);
    int rc = dl_dpq_put(q, v, p);
    dl_release(v);
    dl__check(L, rc);
    return 0;
}

static int dpq_get(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = NULL;
    int rc = dl_dpq_get(check_dpq(L, 1), &d);
    return push_deferred_rc(L, rc, d);
}

static int dpq_index(lua_State *L, void *o, const char *k)
{
    dl_dpq *q = o;
    if (strcmp(k, "pending") == 0)
        dl__push_owned(L, dl_dpq_pending(q));
    else if (strcmp(k, "waiting") == 0)
        lua_pushinteger(L, (lua_Integer)dl_dpq_waiting(q));
    else
        return 0;
    return 1;
}

static const luaL_Reg dpq_methods[] = {
    {"put", dpq_put},
    {"get", dpq_get},
    {NULL, NULL},
};

/* ===================================================================== */
/* ResizableDispatchQueue and Job                                        */
/* ===================================================================== */

static int64_t check_width(lua_State *L, int idx)
{
    lua_Integer w = luaL_checkinteger(L, idx);
    if (w < 0) dl__raise_type(L, &dl_type_ValueError, "Queue width cannot be negative.");
    return (int64_t)w;
}

/* ResizableDispatchQueue(fn, width) */
static int l_rdq(lua_State *L)
{
    dl__script(L);
    if (lua_isnoneornil(L, 1))
        dl__raise_type(L, &dl_type_TypeError, "ResizableDispatchQueue() needs the function to run");
    dl__check_callable(L, 1, "ResizableDispatchQueue's function");
    int64_t width = lua_isnoneornil(L, 2) ? 0 : check_width(L, 2);
    dl_reactor *r = run_reactor(L);
    dl_fn fn = dl__lua_fn(L, 1, 3, 0, DL_INPUT_ONE);
    dl_rdq *q = dl_rdq_new(r, fn, width);
    if (!q) dl__check(L, -1);
    return push_struct(L, q);
}

static int rdq_put(lua_State *L)
{
    dl__script(L);
    dl_rdq *q = check_rdq(L, 1);
    double p = opt_priority(L, 3);
    dl_value v = dl__to_value(L, 2);
    dl_deferred *d = NULL;
    int rc = dl_rdq_put(q, v, p, &d);
    dl_release(v);
    return push_deferred_rc(L, rc, d);
}

static int rdq_pending(lua_State *L)
{
    dl__push_owned(L, dl_rdq_pending(check_rdq(L, 1)));
    return 1;
}

static int rdq_underway(lua_State *L)
{
    dl__push_owned(L, dl_rdq_underway(check_rdq(L, 1)));
    return 1;
}

static int rdq_pause(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = NULL;
    int rc = dl_rdq_pause(check_rdq(L, 1), &d);
    return push_deferred_rc(L, rc, d);
}

static int rdq_resume(lua_State *L)
{
    dl__script(L);
    dl_rdq *q = check_rdq(L, 1);
    int64_t w = lua_isnoneornil(L, 2) ? DL_RDQ_KEEP_WIDTH : check_width(L, 2);
    dl__check(L, dl_rdq_resume(q, w));
    return 0;
}

static int rdq_stop(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = NULL;
    int rc = dl_rdq_stop(check_rdq(L, 1), &d);
    return push_deferred_rc(L, rc, d);
}

static int rdq_reprioritize(lua_State *L)
{
    dl__script(L);
    dl_rdq *q = check_rdq(L, 1);
    dl_job *job = check_job(L, 2);
    dl__check(L, dl_rdq_reprioritize(q, job, luaL_checknumber(L, 3)));
    return 0;
}

static int rdq_index(lua_State *L, void *o, const char *k)
{
    dl_rdq *q = o;
    if (strcmp(k, "width") == 0)
        lua_pushinteger(L, (lua_Integer)dl_rdq_width(q));
    else if (strcmp(k, "paused") == 0)
        lua_pushboolean(L, dl_rdq_paused(q));
    else if (strcmp(k, "stopped") == 0)
        lua_pushboolean(L, dl_rdq_stopped(q));
    else
        return 0;
    return 1;
}

static const luaL_Reg rdq_methods[] = {
    {"put", rdq_put},
    {"pending", rdq_pending},
    {"underway", rdq_underway},
    {"pause", rdq_pause},
    {"resume", rdq_resume},
    {"stop", rdq_stop},
    {"reprioritize", rdq_reprioritize},
    {NULL, NULL},
};

static int job_cancel(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_job_cancel(check_job(L, 1)));
    return 0;
}

static int job_watch(lua_State *L)
{
    dl__script(L);
    return push_deferred_rc(L, 0, dl_job_watch(check_job(L, 1)));
}

static int job_index(lua_State *L, void *o, const char *k)
{
    dl_job *job = o;
    if (strcmp(k, "jobarg") == 0)
        dl__push(L, dl_job_arg(job));
    else if (strcmp(k, "priority") == 0)
        push_priority(L, dl_job_priority(job));
    else if (strcmp(k, "queuedAt") == 0)
        push_time(L, dl_job_queued_at(job));
    else if (strcmp(k, "launchedAt") == 0)
        push_time(L, dl_job_launched_at(job));
    else if (strcmp(k, "stoppedAt") == 0)
        push_time(L, dl_job_stopped_at(job));
    else if (strcmp(k, "result") == 0)
        dl__push(L, dl_job_result(job));
    else if (strcmp(k, "failure") == 0)
        dl__push(L, dl_job_failure(job));
    else if (strcmp(k, "state") == 0)
        lua_pushstring(L, dl_job_state_name(dl_job_get_state(job)));
    else
        return 0;
    return 1;
}

static const luaL_Reg job_methods[] = {
    {"cancel", job_cancel},
    {"watch", job_watch},
    {NULL, NULL},
};

/* ===================================================================== */
/* DeferredParallelCommandExecutor                                       */
/* ===================================================================== */

static int l_pce(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_pce *x = dl_pce_new(S->eng);
    if (!x) dl__check(L, -1);
    return push_struct(L, x);
}

static int pce_register(lua_State *L)
{
    dl__script(L);
    dl_pce *x = check_pce(L, 1);
    dl__check_callable(L, 2, "registerFunction's function");
    /* execute(...) passes a list: each function gets its items. */
    dl__check(L, dl_pce_register(x, dl__lua_fn(L, 2, 3, 0, DL_INPUT_UNPACK)));
    return 0;
}

/* Runs under lua_pcall: [1] = the exception: e.failures as a Lua array. */
static int set_failures_field(lua_State *L)
{
    dl_exception *e = lua_touserdata(L, 1);
    lua_createtable(L, 0, 1);
    dl__push(L, dl_list_get(e->args, 0));
    lua_setfield(L, -2, "failures");
    dl_value t = dl__to_value(L, -1);
    dl_release(e->extra);
    e->extra = t;
    return 0;
}

/* First errback of execute()'s Deferred: give ParallelCommandException its
 * `failures` field (exceptions carry fields the engine does not know in a
 * host table). Returns the same failure. */
static dl_value pce_failures(dl_value f, void *ud)
{
    dl_script *S = ud;
    dl_failure *fl = dl_failure_of(f);
    if (fl && dl_errtype_is(fl->exc->type, &dl_type_ParallelCommandException) &&
        fl->exc->extra.kind == DL_NONE && !S->closing && !S->closed) {
        lua_State *L = S->cur ? S->cur : S->L;
        if (lua_checkstack(L, 4)) {
            lua_pushcfunction(L, set_failures_field);
            lua_pushlightuserdata(L, fl->exc);
            if (lua_pcall(L, 1, 0, 0) != LUA_OK) lua_pop(L, 1);
        }
    }
    return dl_retain(f);
}

/* x:execute(...) */
static int pce_execute(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_pce *x = check_pce(L, 1);
    int n = lua_gettop(L) - 1;
    dl_value args = dl_list_new((size_t)n);
    if (args.kind != DL_LIST) return luaL_error(L, "out of memory");
    size_t slot = dl__park(S, args);
    for (int i = 0; i < n; i++)
        dl_list_push(args, dl__to_value(L, 2 + i));
    dl__unpark(S, slot);
    dl_deferred *d = NULL;
    int rc = dl_pce_execute(x, args, &d);
    dl_release(args);
    if (rc == 0 && d) {
        int e = dl_deferred_add_errback(d, dl_fn_c(pce_failures, S, "failures"));
        if (e) rc = e;
    }
    return push_deferred_rc(L, rc, d);
}

static int pce_index(lua_State *L, void *o, const char *k)
{
    dl_pce *x = o;
    if (strcmp(k, "functions") == 0)
        lua_pushinteger(L, (lua_Integer)dl_pce_functions(x));
    else if (strcmp(k, "running") == 0)
        lua_pushinteger(L, (lua_Integer)dl_pce_running(x));
    else
        return 0;
    return 1;
}

static const luaL_Reg pce_methods[] = {
    {"registerFunction", pce_register},
    {"execute", pce_execute},
    {NULL, NULL},
};

/* ===================================================================== */
/* ControllableDeferred                                                  */
/* ===================================================================== */

static int l_controllable(lua_State *L)
{
    dl__script(L);
    dl_deferred *orig = dl__check_deferred(L, 1);
    dl_controllable *c = dl_controllable_new(orig);
    if (!c) dl__check(L, -1);
    dl_deferred *mine = dl_controllable_deferred(c);
    if (!dl_deferred_label(mine)) dl__infer_label(L, mine, NULL);
    return push_struct(L, c);
}

static int ctrl_callback(lua_State *L)
{
    dl__script(L);
    dl_controllable *c = check_ctrl(L, 1);
    dl_value v = dl__to_value(L, 2);
    int rc = dl_controllable_callback(c, v);
    dl_release(v);
    dl__check(L, rc);
    return 0;
}

static int ctrl_errback(lua_State *L)
{
    dl__script(L);
    dl_controllable *c = check_ctrl(L, 1);
    if (lua_isnoneornil(L, 2))
        dl__raise_type(L, &dl_type_TypeError,
                       "errback() needs a Failure, an exception or a string");
    dl_value f = dl__to_failure_arg(L, 2);
    int rc = dl_controllable_errback(c, f);
    dl_release(f);
    dl__check(L, rc);
    return 0;
}

static int ctrl_cancel(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_controllable_cancel(check_ctrl(L, 1)));
    return 0;
}

static int ctrl_pause(lua_State *L)
{
    dl__script(L);
    dl_controllable_pause(check_ctrl(L, 1));
    return 0;
}

static int ctrl_unpause(lua_State *L)
{
    dl__script(L);
    dl_controllable_unpause(check_ctrl(L, 1));
    dl__check_killed(L);
    return 0;
}

/* A Deferred method called on the wrapper: call it on c's Deferred, and
 * give the wrapper back where the method returned that Deferred
 * (c:addCallback(f):addErrback(g) stays on the wrapper). Upvalue 1: the
 * method. */
static int ctrl_forward(lua_State *L)
{
    int n = lua_gettop(L);
    dl_box *b = n >= 1 ? dl__box_is(L, 1, MT_SEED) : NULL;
    dl_controllable *c = b ? dl_controllable_of(b->v) : NULL;
    luaL_checkstack(L, n + 4, "too many arguments");
    lua_pushvalue(L, 1); /* push self (stays below the call) */
    lua_insert(L, 1);
    int base = 1;
    if (c) {
        dl__push(L, dl_obj_value(DL_DEFERRED, dl_controllable_deferred(c)));
        lua_replace(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 2);
    lua_call(L, n, LUA_MULTRET);
    int top = lua_gettop(L);
    for (int i = base + 1; c && i <= top; i++) {
        dl_box *r = dl__box_is(L, i, DL_MT_DEFERRED);
        if (r && dl_deferred_of(r->v) == dl_controllable_deferred(c)) {
            lua_pushvalue(L, 1);
            lua_replace(L, i);
        }
    }
    return top - base;
}

static int ctrl_index(lua_State *L, void *o, const char *k)
{
    dl_controllable *c = o;
    if (strcmp(k, "deferred") == 0) {
        dl__push(L, dl_obj_value(DL_DEFERRED, dl_controllable_deferred(c)));
    } else if (strcmp(k, "original") == 0) {
        dl__push(L, dl_obj_value(DL_DEFERRED, dl_controllable_original(c)));
    } else if (strcmp(k, "fired") == 0) {
        lua_pushboolean(L, dl_controllable_fired(c));
    } else {
        /* Methods of the wrapper come first (the caller looks them up when
         * this returns 0); anything else is the Deferred's. */
        return 0;
    }
    return 1;
}

static const luaL_Reg ctrl_methods[] = {
    {"callback", ctrl_callback}, {"errback", ctrl_errback}, {"cancel", ctrl_cancel},
    {"pause", ctrl_pause},       {"unpause", ctrl_unpause}, {NULL, NULL},
};

/* ===================================================================== */
/* The shared metatable                                                  */
/* ===================================================================== */

typedef int (*index_fn)(lua_State *L, void *o, const char *k);

static const index_fn kind_index[K_COUNT] = {
    pool_index, NULL, dlo_index, rc_index, rdq_index, job_index, dpq_index, pce_index, ctrl_index,
};

static const luaL_Reg *const kind_methods[K_COUNT] = {
    pool_methods, NULL,        dlo_methods, rc_methods,   rdq_methods,
    job_methods,  dpq_methods, pce_methods, ctrl_methods,
};

/* __index: [1] = the box, [2] = the key. Upvalue k+1: kind k's methods. */
static int seed_index(lua_State *L)
{
    dl_box *b = dl__box_is(L, 1, MT_SEED);
    int k = b ? kind_of(b->v) : -1;
    if (k < 0) return luaL_error(L, "bad self");
    if (k == K_DDICT) return ddict_get(L, (dl_ddict *)b->v.u.o);
    const char *key = field_key(L);
    if (kind_index[k](L, b->v.u.o, key)) return 1;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(k + 1)) != LUA_TNIL || k != K_CTRL) return 1;
    lua_pop(L, 1);
    /* ControllableDeferred: the rest is its Deferred's. */
    dl_controllable *c = (dl_controllable *)b->v.u.o;
    dl__push(L, dl_obj_value(DL_DEFERRED, dl_controllable_deferred(c)));
    lua_pushvalue(L, 2);
    lua_gettable(L, -2);
    if (lua_type(L, -1) == LUA_TFUNCTION) lua_pushcclosure(L, ctrl_forward, 1);
    return 1;
}

/* __newindex: dd[k] = v, q.width = n; everything else is read-only. */
static int seed_newindex(lua_State *L)
{
    dl__script(L);
    dl_box *b = dl__box_is(L, 1, MT_SEED);
    int k = b ? kind_of(b->v) : -1;
    if (k < 0) return luaL_error(L, "bad self");
    if (k == K_DDICT) return ddict_set(L, (dl_ddict *)b->v.u.o);
    const char *key = field_key(L);
    if (k == K_RDQ && strcmp(key, "width") == 0) {
        dl_rdq *q = (dl_rdq *)b->v.u.o;
        if (!lua_isinteger(L, 3))
            return luaL_error(L, "ResizableDispatchQueue width must be an integer, got %s",
                              lua_type(L, 3) == LUA_TNUMBER ? "a float" : luaL_typename(L, 3));
        dl__check(L, dl_rdq_set_width(q, check_width(L, 3)));
        dl__check_killed(L);
        return 0;
    }
    return luaL_error(L, "%s field '%s' is read-only", kind_names[k],
                      lua_type(L, 2) == LUA_TSTRING ? key : luaL_typename(L, 2));
}

/* #dd, #pq */
static int seed_len(lua_State *L)
{
    dl_box *b = dl__box_is(L, 1, MT_SEED);
    int k = b ? kind_of(b->v) : -1;
    if (k == K_DDICT)
        lua_pushinteger(L, (lua_Integer)dl_ddict_len((dl_ddict *)b->v.u.o));
    else if (k == K_DPQ)
        lua_pushinteger(L, (lua_Integer)dl_dpq_len((dl_dpq *)b->v.u.o));
    else
        return luaL_error(L, "attempt to get length of a %s value", k < 0 ? "?" : kind_names[k]);
    return 1;
}

static const luaL_Reg globals[] = {
    {"DeferredPool", l_pool},
    {"DeferredDict", l_ddict},
    {"DeferredListObserver", l_dlo},
    {"RetryingCall", l_retrying_call},
    {"simpleBackoffIterator", l_simple_backoff},
    {"ResizableDispatchQueue", l_rdq},
    {"DeferredPriorityQueue", l_dpq},
    {"DeferredParallelCommandExecutor", l_pce},
    {"ControllableDeferred", l_controllable},
    {NULL, NULL},
};

void dl__open_seed(lua_State *L)
{
    dl__new_box_type(L, MT_SEED, NULL, NULL);
    luaL_getmetatable(L, MT_SEED); /* push mt */
    for (int k = 0; k < K_COUNT; k++) {
        lua_newtable(L); /* push kind k's methods */
        if (kind_methods[k]) luaL_setfuncs(L, kind_methods[k], 0);
    }
    lua_pushcclosure(L, seed_index, K_COUNT); /* pop the method tables */
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, seed_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, seed_len);
    lua_setfield(L, -2, "__len");
    for (int k = 0; k < K_COUNT; k++) { /* boxes of each class find it */
        char name[96];
        snprintf(name, sizeof name, "deferlab.%s", kind_names[k]);
        lua_pushvalue(L, -1);                     /* push mt */
        lua_setfield(L, LUA_REGISTRYINDEX, name); /* registry[name] = mt; pop */
    }
    lua_pop(L, 1); /* pop mt */

    luaL_newmetatable(L, MT_BACKOFF); /* push its metatable */
    lua_pushcfunction(L, backoff_state_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}
