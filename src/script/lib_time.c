/* lib_time.c - Clock, DelayedCall, reactor, deferLater, LoopingCall.
 *
 *   reactor                     the run's virtual Clock (events carry its time)
 *   Clock()                     seconds, callLater, advance, pump, getDelayedCalls
 *   DelayedCall                 cancel, reset, delay, active, getTime
 *   deferLater(clock, delay [, fn, ...])
 *   LoopingCall(fn, ...)        lc.clock (default reactor), start, stop, reset,
 *                               running, interval; LoopingCall.withCount(fn)
 */
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"
#include "engine/task.h"
#include "script/script_int.h"

#define MT_CLOCK "deferlab.Clock"
#define MT_CALL  "deferlab.DelayedCall"
#define MT_LOOP  "deferlab.LoopingCall"

static dl_clock *check_clock(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, MT_CLOCK);
    dl_clock *c = b ? dl_clock_of(b->v) : NULL;
    if (!c) luaL_typeerror(L, idx, "Clock");
    return c;
}

static dl_reactor *check_reactor(lua_State *L, int idx)
{
    dl_box *b = dl__box(L, idx);
    dl_reactor *r = b ? dl_reactor_of(b->v) : NULL;
    if (!r) luaL_typeerror(L, idx, "Clock");
    return r;
}

static dl_delayed_call *check_call(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, MT_CALL);
    dl_delayed_call *c = b ? dl_delayed_call_of(b->v) : NULL;
    if (!c) luaL_typeerror(L, idx, "DelayedCall");
    return c;
}

static dl_looping_call *check_loop(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, MT_LOOP);
    dl_looping_call *lc = b ? dl_looping_call_of(b->v) : NULL;
    if (!lc) luaL_typeerror(L, idx, "LoopingCall");
    return lc;
}

/* ===================================================================== */
/* Clock                                                                 */
/* ===================================================================== */

/* Push a new Clock box; tracked so it is closed at the end of the run. */
static dl_clock *push_new_clock(lua_State *L)
{
    dl_script *S = dl__host(L);
    dl_clock *c = dl_clock_new(S->eng);
    if (!c) dl__check(L, -1);
    dl__track_reactor(S, c);
    dl__push_owned(L, dl_reactor_value(dl_clock_reactor(c)));
    dl_obj_release(c);
    return c;
}

static int l_clock(lua_State *L)
{
    dl__script(L);
    push_new_clock(L);
    return 1;
}

static int clock_seconds(lua_State *L)
{
    lua_pushnumber(L, dl_reactor_seconds(check_reactor(L, 1)));
    return 1;
}

/* advance / pump / getDelayedCalls need the virtual Clock; on a real-time
 * reactor say why they cannot work rather than "Clock expected". */
static dl_clock *check_virtual_clock(lua_State *L, int idx)
{
    dl_box *b = dl__box(L, idx);
    dl_reactor *r = b ? dl_reactor_of(b->v) : NULL;
    if (r && !dl_clock_of(b->v))
        luaL_error(L, "this run uses real time (--realtime): time moves by itself, so "
                      "advance() and pump() cannot move it; use a Clock() for that");
    return check_clock(L, idx);
}

/* clock:callLater(delay, fn, ...) -> DelayedCall */
static int clock_call_later(lua_State *L)
{
    dl__script(L);
    dl_reactor *r = check_reactor(L, 1);
    double delay = luaL_checknumber(L, 2);
    dl__check_callable(L, 3, "callLater's function");
    dl_fn fn = dl__lua_fn(L, 3, 4, lua_gettop(L) - 3, DL_INPUT_NONE);
    dl_delayed_call *c = dl_reactor_call_later(r, delay, fn, dl_none());
    if (!c) dl__check(L, -1);
    dl__push_owned(L, dl_obj_value(DL_OBJ, c));
    return 1;
}

static int clock_advance(lua_State *L)
{
    dl__script(L);
    dl_clock *c = check_virtual_clock(L, 1);
    dl__check(L, dl_clock_advance(c, luaL_checknumber(L, 2)));
    return 0;
}

/* clock:pump{s1, s2, ...} */
static int clock_pump(lua_State *L)
{
    dl__script(L);
    dl_clock *c = check_virtual_clock(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 2);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        double s = luaL_checknumber(L, -1);
        lua_pop(L, 1);
        dl__check(L, dl_clock_advance(c, s));
    }
    return 0;
}

static int clock_get_delayed_calls(lua_State *L)
{
    dl_clock *c = check_virtual_clock(L, 1);
    size_t n;
    dl_delayed_call *const *calls = dl_clock_calls(c, &n);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        calls = dl_clock_calls(c, &n); /* pushing may collect garbage */
        if (i >= n) break;
        dl__push(L, dl_obj_value(DL_OBJ, calls[i]));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int clock_index(lua_State *L)
{
    return dl__methods(L);
}

static const luaL_Reg clock_methods[] = {
    {"seconds", clock_seconds},
    {"callLater", clock_call_later},
    {"advance", clock_advance},
    {"pump", clock_pump},
    {"getDelayedCalls", clock_get_delayed_calls},
    {NULL, NULL},
};

/* ===================================================================== */
/* DelayedCall                                                           */
/* ===================================================================== */

static int call_cancel(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_delayed_call_cancel(check_call(L, 1)));
    return 0;
}

static int call_reset(lua_State *L)
{
    dl__script(L);
    dl_delayed_call *c = check_call(L, 1);
    dl__check(L, dl_delayed_call_reset(c, luaL_checknumber(L, 2)));
    return 0;
}

static int call_delay(lua_State *L)
{
    dl__script(L);
    dl_delayed_call *c = check_call(L, 1);
    dl__check(L, dl_delayed_call_delay(c, luaL_checknumber(L, 2)));
    return 0;
}

static int call_active(lua_State *L)
{
    lua_pushboolean(L, dl_delayed_call_active(check_call(L, 1)));
    return 1;
}

static int call_get_time(lua_State *L)
{
    lua_pushnumber(L, dl_delayed_call_get_time(check_call(L, 1)));
    return 1;
}

static int call_index(lua_State *L)
{
    return dl__methods(L);
}

static const luaL_Reg call_methods[] = {
    {"cancel", call_cancel}, {"reset", call_reset},      {"delay", call_delay},
    {"active", call_active}, {"getTime", call_get_time}, {NULL, NULL},
};

/* ===================================================================== */
/* deferLater                                                            */
/* ===================================================================== */

static int l_defer_later(lua_State *L)
{
    dl__script(L);
    dl_reactor *r = check_reactor(L, 1);
    double delay = luaL_checknumber(L, 2);
    dl_fn fn = dl_passthru();
    if (!lua_isnoneornil(L, 3)) {
        dl__check_callable(L, 3, "deferLater's function");
        fn = dl__lua_fn(L, 3, 4, lua_gettop(L) - 3, DL_INPUT_NONE);
    }
    dl_deferred *d = dl_defer_later(r, delay, fn, dl_none());
    if (!d) dl__check(L, -1);
    dl__push_new_deferred(L, d, "deferLater");
    return 1;
}

/* ===================================================================== */
/* LoopingCall                                                           */
/* ===================================================================== */

static void push_loop(lua_State *L, dl_looping_call *lc)
{
    dl_script *S = dl__host(L);
    if (!lc) dl__check(L, -1);
    lua_getglobal(L, "reactor"); /* lc.clock defaults to the run's reactor */
    dl_box *b = dl__box(L, -1);
    dl_reactor *r = b ? dl_reactor_of(b->v) : NULL;
    lua_pop(L, 1);
    if (!r && S->nreactors) r = S->reactors[0];
    if (r) dl_looping_call_set_clock(lc, r);
    dl__push_owned(L, dl_looping_call_value(lc));
    dl_obj_release(lc);
}

/* LoopingCall(fn, ...) (called through the LoopingCall table's __call) */
static int l_looping_call(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl__check_callable(L, 2, "LoopingCall's function");
    dl_fn fn = dl__lua_fn(L, 2, 3, lua_gettop(L) - 2, DL_INPUT_NONE);
    push_loop(L, dl_looping_call_new(S->eng, fn, dl_none()));
    return 1;
}

/* LoopingCall.withCount(fn): fn(count) */
static int l_looping_with_count(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl__check_callable(L, 1, "LoopingCall's function");
    dl_fn fn = dl__lua_fn(L, 1, 2, 0, DL_INPUT_ONE);
    push_loop(L, dl_looping_call_with_count(S->eng, fn));
    return 1;
}

/* lc:start(interval [, now=true]) -> Deferred */
static int loop_start(lua_State *L)
{
    dl__script(L);
    dl_looping_call *lc = check_loop(L, 1);
    double interval = luaL_checknumber(L, 2);
    bool now = lua_isnoneornil(L, 3) ? true : lua_toboolean(L, 3);
    dl_deferred *d = NULL;
    int rc = dl_looping_call_start(lc, interval, now, &d);
    if (rc != 0 && d) dl_deferred_release(d);
    dl__check(L, rc);
    dl__push_new_deferred(L, d, "");
    return 1;
}

static int loop_stop(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_looping_call_stop(check_loop(L, 1)));
    return 0;
}

static int loop_reset(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_looping_call_reset(check_loop(L, 1)));
    return 0;
}

static int loop_index(lua_State *L)
{
    dl_looping_call *lc = check_loop(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "running") == 0) {
        lua_pushboolean(L, dl_looping_call_running(lc));
    } else if (strcmp(k, "interval") == 0) {
        lua_pushnumber(L, dl_looping_call_interval(lc));
    } else if (strcmp(k, "clock") == 0) {
        dl_reactor *r = dl_looping_call_clock(lc);
        if (r)
            dl__push(L, dl_obj_value(DL_OBJ, r));
        else
            lua_pushnil(L);
    } else {
        return dl__methods(L);
    }
    return 1;
}

static int loop_newindex(lua_State *L)
{
    dl_looping_call *lc = check_loop(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "clock") != 0) return luaL_error(L, "LoopingCall field '%s' is read-only", k);
    dl_looping_call_set_clock(lc, check_reactor(L, 3));
    return 0;
}

static const luaL_Reg loop_methods[] = {
    {"start", loop_start},
    {"stop", loop_stop},
    {"reset", loop_reset},
    {NULL, NULL},
};

/* ===================================================================== */
/* Opening                                                               */
/* ===================================================================== */

static double reactor_now(void *r)
{
    return dl_reactor_seconds(r);
}

void dl__open_time(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl__new_object_type(L, MT_CLOCK, clock_methods, clock_index, NULL);
    dl__new_object_type(L, MT_CALL, call_methods, call_index, NULL);
    dl__new_object_type(L, MT_LOOP, loop_methods, loop_index, loop_newindex);

    if (S->opts.make_reactor) {
        /* A real-time run: the host's reactor, shown with the Clock's methods. */
        dl_reactor *r = S->opts.make_reactor(S->eng, S->opts.make_reactor_ud);
        if (!r) dl__check(L, -1);
        char name[96];
        snprintf(name, sizeof name, "deferlab.%s", r->hdr.cls->name);
        luaL_getmetatable(L, MT_CLOCK);           /* push mt */
        lua_setfield(L, LUA_REGISTRYINDEX, name); /* registry[name] = mt; pop */
        dl__track_reactor(S, r);
        dl__push_owned(L, dl_reactor_value(r));
        dl_obj_release(r);
        S->eng->now = reactor_now;
        S->eng->now_ud = r;
    } else {
        dl_clock *c = push_new_clock(L); /* the run's reactor */
        S->eng->now = dl_clock_now;
        S->eng->now_ud = c;
    }
    lua_setglobal(L, "reactor");

    lua_pushcfunction(L, l_clock);
    lua_setglobal(L, "Clock");
    lua_pushcfunction(L, l_defer_later);
    lua_setglobal(L, "deferLater");

    /* LoopingCall: callable, with a withCount field. */
    lua_createtable(L, 0, 1); /* push LoopingCall */
    lua_pushcfunction(L, l_looping_with_count);
    lua_setfield(L, -2, "withCount");
    lua_createtable(L, 0, 2); /* push its metatable */
    lua_pushcfunction(L, l_looping_call);
    lua_setfield(L, -2, "__call");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);         /* pop metatable */
    lua_setglobal(L, "LoopingCall"); /* pop LoopingCall */
}
