/* lib_dlist.c - DeferredList, gatherResults, race.
 *
 *   DeferredList(ds [, {fireOnOneCallback=, fireOnOneErrback=, consumeErrors=}])
 *   gatherResults(ds [, consumeErrors])
 *   race(ds)
 *
 * The engine keeps Twisted's 0-based indices in FirstError's args (its
 * `index` field adds 1: lib_failure.c); the results that carry an index
 * ({value, index} of fireOnOneCallback, {index, value} of race) are built
 * 1-based by the engine itself, since the host sets eng->index_base to 1.
 */
#include <stdlib.h>

#include "engine/dlist.h"
#include "script/script_int.h"

static bool opt_flag(lua_State *L, int idx, const char *name)
{
    if (lua_type(L, idx) != LUA_TTABLE) return false;
    lua_getfield(L, idx, name);
    bool b = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return b;
}

static int l_deferred_list(lua_State *L)
{
    dl_script *S = dl__script(L);
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
    unsigned flags = 0;
    if (opt_flag(L, 2, "fireOnOneCallback")) flags |= DL_DLIST_FIRE_ON_ONE_CALLBACK;
    if (opt_flag(L, 2, "fireOnOneErrback")) flags |= DL_DLIST_FIRE_ON_ONE_ERRBACK;
    if (opt_flag(L, 2, "consumeErrors")) flags |= DL_DLIST_CONSUME_ERRORS;
    size_t n;
    dl_deferred **ds = dl__check_deferred_array(L, 1, &n);
    dl_deferred *d = dl_deferred_list_new(S->eng, ds, n, flags);
    free(ds);
    if (!d) dl__check(L, -1);
    dl__check_killed(L);
    dl__push_new_deferred(L, d, "DeferredList");
    return 1;
}

static int l_gather_results(lua_State *L)
{
    dl_script *S = dl__script(L);
    bool consume = lua_toboolean(L, 2);
    size_t n;
    dl_deferred **ds = dl__check_deferred_array(L, 1, &n);
    dl_deferred *d = dl_gather_results(S->eng, ds, n, consume);
    free(ds);
    if (!d) dl__check(L, -1);
    dl__check_killed(L);
    dl__push_new_deferred(L, d, "gatherResults");
    return 1;
}

static int l_race(lua_State *L)
{
    dl_script *S = dl__script(L);
    size_t n;
    dl_deferred **ds = dl__check_deferred_array(L, 1, &n);
    dl_deferred *d = dl_race(S->eng, ds, n);
    free(ds);
    if (!d) dl__check(L, -1);
    dl__check_killed(L);
    dl__push_new_deferred(L, d, "race");
    return 1;
}

static const luaL_Reg globals[] = {
    {"DeferredList", l_deferred_list},
    {"gatherResults", l_gather_results},
    {"race", l_race},
    {NULL, NULL},
};

void dl__open_dlist(lua_State *L)
{
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}
