/* lib_failure.c - exception types, exceptions and Failures for Lua.
 *
 *   ValueError("bad")        an exception: e.type, e.message, e.args
 *   ErrorType("HttpError")   a new type (base defaults to Exception)
 *   isinstance(e, T)         the type hierarchy (a Failure answers for its value)
 *   Failure(err)             f.value, f.type, f.where, f:trap, f:check,
 *                            f:getErrorMessage, f:raise
 *
 * Raising: error(ValueError("bad")). A Failure raised with error(f) (or by
 * f:trap / f:raise) keeps its identity down the errback track.
 */
#include <stdio.h>
#include <string.h>

#include "engine/dlist.h"
#include "script/script_int.h"

/* ===================================================================== */
/* Checked accessors                                                     */
/* ===================================================================== */

dl_errtype *dl__check_errtype(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, DL_MT_ERRTYPE);
    if (!b || b->v.kind != DL_ERRTYPE) luaL_typeerror(L, idx, "exception type");
    return (dl_errtype *)b->v.u.o;
}

static dl_exception *check_exception(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, DL_MT_EXCEPTION);
    if (!b || b->v.kind != DL_EXC) luaL_typeerror(L, idx, "exception");
    return dl_exception_of(b->v);
}

static dl_value check_failure(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, DL_MT_FAILURE);
    if (!b || b->v.kind != DL_FAILURE) luaL_typeerror(L, idx, "Failure");
    return b->v;
}

/* The exception of a box that is an exception or a Failure, else NULL. */
static dl_exception *exception_at(lua_State *L, int idx)
{
    dl_box *b = dl__box(L, idx);
    if (!b) return NULL;
    if (b->v.kind == DL_EXC) return dl_exception_of(b->v);
    if (b->v.kind == DL_FAILURE) return dl_failure_of(b->v)->exc;
    return NULL;
}

dl_value dl__to_failure_arg(lua_State *L, int idx)
{
    char where[256];
    dl__where(L, 1, where, sizeof where);
    dl_box *b = dl__box(L, idx);
    if (b && b->v.kind == DL_FAILURE) return dl_retain(b->v);
    dl_exception *e = NULL;
    if (b && b->v.kind == DL_EXC) {
        e = dl_exception_of(b->v);
        dl_obj_retain(e);
    } else if (lua_type(L, idx) == LUA_TSTRING) {
        e = dl_exception_new(&dl_type_Exception, lua_tostring(L, idx), dl_none());
    } else {
        dl__raise_type(L, &dl_type_TypeError,
                       "expected a Failure, an exception or a string, got %s",
                       luaL_typename(L, idx));
    }
    dl_failure *f = e ? dl_failure_new(e, where[0] ? where : NULL) : NULL;
    dl_obj_release(e);
    if (!f) luaL_error(L, "out of memory");
    return dl_obj_value(DL_FAILURE, f);
}

/* ===================================================================== */
/* Exception types                                                       */
/* ===================================================================== */

/* T(message, ...): message is the single argument as text, "" for none,
 * "(10, 'Deferred')" for several (like Python's str of an exception). */
static int errtype_call(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_errtype *t = dl__check_errtype(L, 1);
    int n = lua_gettop(L) - 1;
    if (t == &dl_type_FirstError && n == 2 && lua_isinteger(L, 3)) {
        /* FirstError(failure, index): Lua's index is 1-based, the engine
         * keeps Twisted's 0-based one (and writes the message). */
        dl_value sub = dl__to_value(L, 2);
        size_t slot = dl__park(S, sub);
        dl_exception *e = dl_first_error_new(S->eng, sub, (int64_t)lua_tointeger(L, 3) - 1);
        dl__unpark(S, slot); /* ownership of sub is ours again */
        dl_release(sub);
        if (!e) return luaL_error(L, "out of memory");
        dl__push_owned(L, dl_obj_value(DL_EXC, e));
        return 1;
    }
    dl_value args = dl_list_new((size_t)n);
    if (args.kind != DL_LIST) return luaL_error(L, "out of memory");
    size_t slot = dl__park(S, args); /* released for us if a conversion raises */
    char msg[512] = "";
    size_t w = 0;
    for (int i = 0; i < n; i++) {
        dl_value item = dl__to_value(L, 2 + i);
        if (n == 1 && item.kind == DL_STR) {
            snprintf(msg, sizeof msg, "%s", dl_str_cstr(item));
        } else {
            char r[256];
            /* Several arguments read like Python's str of a tuple, as the
             * engine's own TimeoutError(10, 'Deferred') does. */
            if (n > 1 && item.kind == DL_STR)
                snprintf(r, sizeof r, "'%s'", dl_str_cstr(item));
            else
                dl_repr(item, r, sizeof r);
            if (n == 1)
                snprintf(msg, sizeof msg, "%s", r);
            else if (w < sizeof msg)
                w += (size_t)snprintf(msg + w, sizeof msg - w, "%s%s%s", i ? ", " : "(", r,
                                      i == n - 1 ? ")" : "");
        }
        dl_list_push(args, item);
    }
    dl__unpark(S, slot);
    dl_exception *e = dl_exception_new(t, msg, args);
    if (!e) return luaL_error(L, "out of memory");
    dl__push_owned(L, dl_obj_value(DL_EXC, e));
    return 1;
}

static int errtype_index(lua_State *L)
{
    dl_errtype *t = dl__check_errtype(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "name") == 0) {
        lua_pushstring(L, t->name);
    } else if (strcmp(k, "base") == 0) {
        if (t->base)
            dl__push(L, dl_obj_value(DL_ERRTYPE, t->base));
        else
            lua_pushnil(L);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int l_errortype(lua_State *L)
{
    dl__script(L);
    const char *name = luaL_checkstring(L, 1);
    dl_errtype *base = lua_isnoneornil(L, 2) ? NULL : dl__check_errtype(L, 2);
    if (!name[0]) return luaL_argerror(L, 1, "a type needs a name");
    dl_errtype *t = dl_errtype_new(name, base);
    if (!t) return luaL_error(L, "out of memory");
    dl__push_owned(L, dl_obj_value(DL_ERRTYPE, t));
    return 1;
}

/* ===================================================================== */
/* Exceptions                                                            */
/* ===================================================================== */

/* FirstError keeps (subFailure, index) in args, FailureGroup (failures,):
 * Twisted's layout. Lua sees index 1-based. */
static int exception_index(lua_State *L)
{
    dl_exception *e = check_exception(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "type") == 0) {
        dl__push(L, dl_obj_value(DL_ERRTYPE, e->type));
    } else if (strcmp(k, "message") == 0) {
        lua_pushstring(L, e->message);
    } else if (strcmp(k, "args") == 0) {
        dl__push(L, e->args.kind == DL_LIST ? e->args : dl_none());
        if (lua_isnil(L, -1)) lua_newtable(L);
    } else if (strcmp(k, "subFailure") == 0 && dl_errtype_is(e->type, &dl_type_FirstError)) {
        dl__push(L, dl_list_get(e->args, 0));
    } else if (strcmp(k, "index") == 0 && dl_errtype_is(e->type, &dl_type_FirstError)) {
        dl_value i = dl_list_get(e->args, 1);
        if (i.kind == DL_INT)
            lua_pushinteger(L, (lua_Integer)i.u.i + 1);
        else
            lua_pushnil(L);
    } else if (strcmp(k, "failures") == 0 && dl_errtype_is(e->type, &dl_type_FailureGroup)) {
        dl__push(L, dl_list_get(e->args, 0));
    } else if (e->extra.kind == DL_HOST) {
        dl__push(L, e->extra); /* user fields: e.code = 404 */
        lua_getfield(L, -1, k);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int exception_newindex(lua_State *L)
{
    dl_exception *e = check_exception(L, 1);
    const char *k = luaL_checkstring(L, 2);
    static const char *const fixed[] = {"type",       "message", "args",
                                        "subFailure", "index",   "failures"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(k, fixed[i]) == 0) return luaL_error(L, "exception field '%s' is read-only", k);
    if (e->extra.kind != DL_HOST) {
        lua_newtable(L);
        dl_value t = dl__to_value(L, -1);
        dl_release(e->extra);
        e->extra = t;
        lua_pop(L, 1);
    }
    dl__push(L, e->extra);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, k);
    return 0;
}

/* ===================================================================== */
/* Failures                                                              */
/* ===================================================================== */

static int failure_index(lua_State *L)
{
    dl_value f = check_failure(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    dl_failure *fl = dl_failure_of(f);
    if (strcmp(k, "value") == 0) {
        dl__push(L, dl_obj_value(DL_EXC, fl->exc));
    } else if (strcmp(k, "type") == 0) {
        dl__push(L, dl_obj_value(DL_ERRTYPE, fl->exc->type));
    } else if (strcmp(k, "where") == 0) {
        if (fl->where)
            lua_pushstring(L, fl->where);
        else
            lua_pushnil(L);
    } else {
        lua_getmetatable(L, 1); /* methods live in the metatable's "methods" */
        lua_getfield(L, -1, "methods");
        lua_getfield(L, -1, k);
    }
    return 1;
}

static bool failure_matches(lua_State *L, dl_value f, int first, int *which)
{
    int n = lua_gettop(L);
    for (int i = first; i <= n; i++) {
        dl_errtype *t = dl__check_errtype(L, i);
        if (dl_failure_check(f, t)) {
            *which = i;
            return true;
        }
    }
    return false;
}

/* f:trap(T, ...) -> the matching type; otherwise re-raises f itself. */
static int failure_trap(lua_State *L)
{
    dl_value f = check_failure(L, 1);
    int which;
    if (failure_matches(L, f, 2, &which)) {
        lua_pushvalue(L, which);
        return 1;
    }
    lua_settop(L, 1);
    return lua_error(L);
}

static int failure_check(lua_State *L)
{
    dl_value f = check_failure(L, 1);
    int which;
    if (failure_matches(L, f, 2, &which))
        lua_pushvalue(L, which);
    else
        lua_pushnil(L);
    return 1;
}

static int failure_message(lua_State *L)
{
    dl_value f = check_failure(L, 1);
    lua_pushstring(L, dl_failure_of(f)->exc->message);
    return 1;
}

static int failure_raise(lua_State *L)
{
    check_failure(L, 1);
    lua_settop(L, 1);
    return lua_error(L);
}

static int l_failure(lua_State *L)
{
    dl__script(L);
    if (lua_isnoneornil(L, 1))
        return dl__raise_type(L, &dl_type_TypeError, "Failure() needs an exception or a string");
    dl_box *b = dl__box(L, 1);
    dl_value f;
    if (b && b->v.kind == DL_FAILURE) {
        char where[256];
        dl__where(L, 1, where, sizeof where);
        dl_failure *nf = dl_failure_new(dl_failure_of(b->v)->exc, where[0] ? where : NULL);
        if (!nf) return luaL_error(L, "out of memory");
        f = dl_obj_value(DL_FAILURE, nf);
    } else {
        f = dl__to_failure_arg(L, 1);
    }
    dl__push_owned(L, f);
    return 1;
}

/* ===================================================================== */
/* isinstance                                                            */
/* ===================================================================== */

static int l_isinstance(lua_State *L)
{
    dl__script(L);
    dl_exception *e = exception_at(L, 1);
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, 2);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, 2, i);
            dl_errtype *t = dl__check_errtype(L, -1);
            lua_pop(L, 1);
            if (e && dl_errtype_is(e->type, t)) {
                lua_pushboolean(L, 1);
                return 1;
            }
        }
        lua_pushboolean(L, 0);
        return 1;
    }
    dl_errtype *t = dl__check_errtype(L, 2);
    lua_pushboolean(L, e && dl_errtype_is(e->type, t));
    return 1;
}

/* ===================================================================== */
/* Opening                                                               */
/* ===================================================================== */

static const luaL_Reg errtype_meta[] = {
    {"__call", errtype_call},
    {"__index", errtype_index},
    {NULL, NULL},
};

static const luaL_Reg exception_meta[] = {
    {"__index", exception_index},
    {"__newindex", exception_newindex},
    {NULL, NULL},
};

static const luaL_Reg failure_meta[] = {
    {"__index", failure_index},
    {NULL, NULL},
};

static const luaL_Reg failure_methods[] = {
    {"trap", failure_trap},
    {"check", failure_check},
    {"getErrorMessage", failure_message},
    {"raise", failure_raise},
    {NULL, NULL},
};

static const luaL_Reg globals[] = {
    {"ErrorType", l_errortype},
    {"Failure", l_failure},
    {"isinstance", l_isinstance},
    {NULL, NULL},
};

static void set_builtin(dl_errtype *t, void *ud)
{
    lua_State *L = ud;
    dl__push(L, dl_obj_value(DL_ERRTYPE, t));
    lua_setglobal(L, t->name);
}

void dl__open_failure(lua_State *L)
{
    dl__new_box_type(L, DL_MT_ERRTYPE, errtype_meta, NULL);
    dl__new_box_type(L, DL_MT_EXCEPTION, exception_meta, NULL);
    dl__new_box_type(L, DL_MT_FAILURE, failure_meta, NULL);
    luaL_getmetatable(L, DL_MT_FAILURE); /* push mt */
    luaL_newlib(L, failure_methods);
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
    dl_errtype_each_builtin(set_builtin, L);
}
