/* lib_deferred.c - Deferred, succeed, fail, maybeDeferred, setChainSemantics.
 *
 * A Deferred box's methods call the engine directly; the engine runs Lua
 * callbacks through dl__lua_fn callables. Engine errors (AlreadyCalledError,
 * AssertionError ...) are raised as the exception Twisted would raise.
 */
#include <string.h>

#include "script/script_int.h"

#include "engine/clock.h"
#include "engine/timeout.h"

dl_deferred *dl__check_deferred(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, DL_MT_DEFERRED);
    if (!b || b->v.kind != DL_DEFERRED) luaL_typeerror(L, idx, "Deferred");
    return dl_deferred_of(b->v);
}

void dl__push_new_deferred(lua_State *L, dl_deferred *d, const char *ctor)
{
    if (ctor && !dl_deferred_label(d)) dl__infer_label(L, d, ctor[0] ? ctor : NULL);
    dl__push_owned(L, dl_obj_value(DL_DEFERRED, d));
}

/* ===================================================================== */
/* Adding callbacks                                                      */
/* ===================================================================== */

/* d:addCallback(fn, ...) / d:addErrback(fn, ...) / d:addBoth(fn, ...) */
static int add_one(lua_State *L, bool cb, bool eb)
{
    dl_deferred *d = dl__check_deferred(L, 1);
    dl__check_callable(L, 2, cb ? "callback" : "errback");
    int nargs = lua_gettop(L) - 2;
    dl_fn f1 = dl__lua_fn(L, 2, 3, nargs, DL_INPUT_ONE);
    dl_fn f2 = dl_passthru();
    if (cb && eb) f2 = dl__lua_fn(L, 2, 3, nargs, DL_INPUT_ONE);
    int rc = cb ? dl_deferred_add_callbacks(d, f1, f2) : dl_deferred_add_callbacks(d, f2, f1);
    dl__check(L, rc);
    lua_settop(L, 1);
    return 1;
}

static int d_add_callback(lua_State *L)
{
    dl__script(L);
    return add_one(L, true, false);
}

static int d_add_errback(lua_State *L)
{
    dl__script(L);
    return add_one(L, false, true);
}

static int d_add_both(lua_State *L)
{
    dl__script(L);
    return add_one(L, true, true);
}

/* Make a dl_fn for the callable at fidx with the arguments listed in the
 * array field `field` of the options table at oidx (if any). */
static dl_fn fn_with_args(lua_State *L, int fidx, int oidx, const char *field)
{
    int top = lua_gettop(L);
    int n = 0;
    if (oidx && lua_type(L, oidx) == LUA_TTABLE) {
        if (lua_getfield(L, oidx, field) == LUA_TTABLE) { /* push args */
            int t = lua_gettop(L);
            lua_getfield(L, t, "n");
            n = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : (int)luaL_len(L, t);
            lua_pop(L, 1);
            luaL_checkstack(L, n, "too many callback arguments");
            for (int i = 1; i <= n; i++)
                lua_rawgeti(L, t, i);
            dl_fn f = dl__lua_fn(L, fidx, t + 1, n, DL_INPUT_ONE);
            lua_settop(L, top);
            return f;
        }
        lua_settop(L, top);
    }
    return dl__lua_fn(L, fidx, top + 1, 0, DL_INPUT_ONE);
}

/* d:addCallbacks(cb, eb [, {callbackArgs=..., errbackArgs=...}]) */
static int d_add_callbacks(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = dl__check_deferred(L, 1);
    dl__check_callable(L, 2, "callback");
    if (!lua_isnoneornil(L, 3)) dl__check_callable(L, 3, "errback");
    int oidx = lua_isnoneornil(L, 4) ? 0 : 4;
    if (oidx) luaL_checktype(L, 4, LUA_TTABLE);
    dl_fn cb = fn_with_args(L, 2, oidx, "callbackArgs");
    dl_fn eb = lua_isnoneornil(L, 3) ? dl_passthru() : fn_with_args(L, 3, oidx, "errbackArgs");
    dl__check(L, dl_deferred_add_callbacks(d, cb, eb));
    lua_settop(L, 1);
    return 1;
}

/* ===================================================================== */
/* Firing, pausing, cancelling                                           */
/* ===================================================================== */

static int d_callback(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = dl__check_deferred(L, 1);
    dl_value v = dl__to_value(L, 2);
    int rc = dl_deferred_callback(d, v);
    dl_release(v);
    dl__check(L, rc);
    return 0;
}

static int d_errback(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = dl__check_deferred(L, 1);
    if (lua_isnoneornil(L, 2))
        return dl__raise_type(L, &dl_type_TypeError,
                              "errback() needs a Failure, an exception or a string");
    dl_value f = dl__to_failure_arg(L, 2);
    int rc = dl_deferred_errback(d, f);
    dl_release(f);
    dl__check(L, rc);
    return 0;
}

static int d_pause(lua_State *L)
{
    dl__script(L);
    dl_deferred_pause(dl__check_deferred(L, 1));
    return 0;
}

static int d_unpause(lua_State *L)
{
    dl__script(L);
    dl_deferred_unpause(dl__check_deferred(L, 1));
    dl__check(L, 0);
    return 0;
}

static int d_cancel(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_deferred_cancel(dl__check_deferred(L, 1)));
    return 0;
}

static int d_chain(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = dl__check_deferred(L, 1);
    dl_deferred *other = dl__check_deferred(L, 2);
    dl__check(L, dl_deferred_chain(d, other));
    lua_settop(L, 1);
    return 1;
}

/* d:addTimeout(seconds, clock [, onTimeoutCancel(value, timeout)]) */
static int d_add_timeout(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = dl__check_deferred(L, 1);
    luaL_checknumber(L, 2);
    dl_value secs = lua_isinteger(L, 2) ? dl_int(lua_tointeger(L, 2)) : dl_num(lua_tonumber(L, 2));
    dl_box *b = dl__box(L, 3);
    dl_reactor *r = b ? dl_reactor_of(b->v) : NULL;
    if (!r) return luaL_typeerror(L, 3, "Clock");
    dl_fn on = dl_passthru();
    if (!lua_isnoneornil(L, 4)) {
        dl__check_callable(L, 4, "onTimeoutCancel");
        on = dl__lua_fn(L, 4, 5, 0, DL_INPUT_UNPACK);
    }
    dl__check(L, dl_deferred_add_timeout(d, r, secs, on));
    lua_settop(L, 1);
    return 1;
}

/* d:label() -> name; d:label(name) -> d */
static int d_label(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = dl__check_deferred(L, 1);
    if (lua_isnoneornil(L, 2)) {
        char name[160];
        dl_deferred_name(d, name, sizeof name);
        lua_pushstring(L, name);
        return 1;
    }
    dl__check(L, dl_deferred_set_label(d, luaL_checkstring(L, 2)));
    lua_settop(L, 1);
    return 1;
}

static int d_has_result(lua_State *L)
{
    lua_pushboolean(L, dl__check_deferred(L, 1)->called);
    return 1;
}

static int d_index(lua_State *L)
{
    /* Methods first: d:addCallback(...) is the hot path, and the method
     * checks its own self. */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    dl_deferred *d = dl__check_deferred(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "called") == 0) {
        lua_pushboolean(L, d->called);
    } else if (strcmp(k, "paused") == 0) {
        lua_pushinteger(L, d->paused);
    } else if (strcmp(k, "result") == 0) {
        if (d->called)
            dl__push(L, d->result);
        else
            lua_pushnil(L);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int d_newindex(lua_State *L)
{
    return luaL_error(L, "Deferred fields are read-only (use d:label(name) to name it)");
}

/* ===================================================================== */
/* Globals                                                               */
/* ===================================================================== */

/* Deferred([canceller]) or Deferred{canceller=fn, label="name"} */
static int l_deferred(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_fn canceller = dl_passthru();
    const char *label = NULL;
    if (lua_type(L, 1) == LUA_TTABLE && !dl__callable(L, 1)) {
        if (lua_getfield(L, 1, "label") != LUA_TNIL) label = luaL_checkstring(L, -1);
        if (lua_getfield(L, 1, "canceller") != LUA_TNIL) {
            dl__check_callable(L, -1, "canceller");
            canceller = dl__lua_fn(L, -1, 0, 0, DL_INPUT_ONE);
        }
    } else if (!lua_isnoneornil(L, 1)) {
        dl__check_callable(L, 1, "canceller");
        canceller = dl__lua_fn(L, 1, 0, 0, DL_INPUT_ONE);
    }
    dl_deferred *d = dl_deferred_new(S->eng, canceller);
    if (!d) return luaL_error(L, "out of memory");
    if (label) dl_deferred_set_label(d, label);
    dl__push_new_deferred(L, d, "Deferred");
    return 1;
}

/* A new Deferred, labelled from the calling line before anything fires, so
 * the narrative names it from its first event. Pushes its box. */
static dl_deferred *new_labelled(lua_State *L, const char *ctor)
{
    dl_script *S = dl__host(L);
    dl_deferred *d = dl_deferred_new(S->eng, dl_passthru());
    if (!d) luaL_error(L, "out of memory");
    dl__push_new_deferred(L, d, ctor);
    return d;
}

/* succeed(v): Deferred() then callback(v), as Twisted does. */
static int l_succeed(lua_State *L)
{
    dl_script *S = dl__script(L);
    lua_settop(L, 1);
    dl_value v = dl__to_value(L, 1);
    size_t slot = dl__park(S, v);
    dl_deferred *d = new_labelled(L, "succeed");
    dl__unpark(S, slot);
    int rc = dl_deferred_callback(d, v);
    dl_release(v);
    dl__check(L, rc);
    return 1;
}

/* fail(err): Deferred() then errback(err). */
static int l_fail(lua_State *L)
{
    dl_script *S = dl__script(L);
    if (lua_isnoneornil(L, 1))
        return dl__raise_type(L, &dl_type_TypeError,
                              "fail() needs a Failure, an exception or a string");
    lua_settop(L, 1);
    dl_value f = dl__to_failure_arg(L, 1);
    size_t slot = dl__park(S, f);
    dl_deferred *d = new_labelled(L, "fail");
    dl__unpark(S, slot);
    int rc = dl_deferred_errback(d, f);
    dl_release(f);
    dl__check(L, rc);
    return 1;
}

/* maybeDeferred(fn, ...): fn(...) now. A returned Deferred comes back as
 * is; a raise or a returned Failure gives fail(); anything else succeed(). */
static int l_maybe_deferred(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl__check_callable(L, 1, "maybeDeferred's function");
    int n = lua_gettop(L);
    dl_value out;
    lua_pushvalue(L, 1);
    for (int i = 2; i <= n; i++)
        lua_pushvalue(L, i);
    dl__pcall_value(S, L, n - 1, &out);
    dl__check_killed(L);
    if (out.kind == DL_DEFERRED) {
        dl__push_owned(L, out);
        return 1;
    }
    size_t slot = dl__park(S, out);
    dl_deferred *d = new_labelled(L, "maybeDeferred");
    dl__unpark(S, slot);
    int rc = dl_is_failure(out) ? dl_deferred_errback(d, out) : dl_deferred_callback(d, out);
    dl_release(out);
    dl__check(L, rc);
    return 1;
}

static int l_set_chain_semantics(lua_State *L)
{
    dl_script *S = dl__script(L);
    static const char *const names[] = {"twisted", "proposed", NULL};
    int which = luaL_checkoption(L, 1, NULL, names);
    S->eng->semantics = which == 0 ? DL_SEMANTICS_TWISTED : DL_SEMANTICS_PROPOSED;
    return 0;
}

static const luaL_Reg deferred_methods[] = {
    {"addCallback", d_add_callback},
    {"addErrback", d_add_errback},
    {"addBoth", d_add_both},
    {"addCallbacks", d_add_callbacks},
    {"callback", d_callback},
    {"errback", d_errback},
    {"pause", d_pause},
    {"unpause", d_unpause},
    {"cancel", d_cancel},
    {"chainDeferred", d_chain},
    {"addTimeout", d_add_timeout},
    {"label", d_label},
    {"hasResult", d_has_result},
    {NULL, NULL},
};

static const luaL_Reg globals[] = {
    {"Deferred", l_deferred},
    {"succeed", l_succeed},
    {"fail", l_fail},
    {"maybeDeferred", l_maybe_deferred},
    {"setChainSemantics", l_set_chain_semantics},
    {NULL, NULL},
};

void dl__open_deferred(lua_State *L)
{
    dl__new_box_type(L, DL_MT_DEFERRED, NULL, NULL);
    luaL_getmetatable(L, DL_MT_DEFERRED); /* push mt */
    luaL_newlib(L, deferred_methods);     /* push methods */
    lua_pushcclosure(L, d_index, 1);      /* pop methods; push __index */
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, d_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pop(L, 1); /* pop mt */
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}
