/* lib_primitives.c - DeferredQueue, DeferredLock, DeferredSemaphore.
 *
 *   DeferredQueue([size [, backlog]])  q:put(v), q:get(), q.pending, q.waiting,
 *                                      q.size, q.backlog
 *   DeferredLock()                     l:acquire(), l:release(), l:run(fn, ...),
 *                                      l.locked, l.waiting
 *   DeferredSemaphore(n)               s:acquire(), s:release(), s:run(fn, ...),
 *                                      s.tokens, s.limit, s.waiting
 */
#include <string.h>

#include "engine/primitives.h"
#include "script/script_int.h"

#define MT_QUEUE "deferlab.DeferredQueue"
#define MT_LOCK  "deferlab.DeferredLock"
#define MT_SEM   "deferlab.DeferredSemaphore"

static dl_queue *check_queue(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, MT_QUEUE);
    dl_queue *q = b ? dl_queue_of(b->v) : NULL;
    if (!q) luaL_typeerror(L, idx, "DeferredQueue");
    return q;
}

static dl_lock *check_lock(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, MT_LOCK);
    dl_lock *l = b ? dl_lock_of(b->v) : NULL;
    if (!l) luaL_typeerror(L, idx, "DeferredLock");
    return l;
}

static dl_semaphore *check_sem(lua_State *L, int idx)
{
    dl_box *b = dl__box_is(L, idx, MT_SEM);
    dl_semaphore *s = b ? dl_semaphore_of(b->v) : NULL;
    if (!s) luaL_typeerror(L, idx, "DeferredSemaphore");
    return s;
}

/* A Deferred the engine handed back (or NULL: raise). */
static int push_deferred(lua_State *L, dl_deferred *d)
{
    if (!d) dl__check(L, -1);
    dl__check_killed(L);
    dl__push_new_deferred(L, d, "");
    return 1;
}

static void push_count(lua_State *L, int64_t n)
{
    if (n < 0)
        lua_pushnil(L); /* None */
    else
        lua_pushinteger(L, (lua_Integer)n);
}

/* ===================================================================== */
/* DeferredQueue                                                         */
/* ===================================================================== */

static int64_t opt_count(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx)) return -1;
    lua_Integer n = luaL_checkinteger(L, idx);
    if (n < 0) dl__raise_type(L, &dl_type_ValueError, "a size or backlog cannot be negative");
    return (int64_t)n;
}

static int l_queue(lua_State *L)
{
    dl_script *S = dl__script(L);
    int64_t size = opt_count(L, 1), backlog = opt_count(L, 2);
    dl_queue *q = dl_queue_new(S->eng, size, backlog);
    if (!q) dl__check(L, -1);
    dl__push_owned(L, dl_queue_value(q));
    dl_obj_release(q);
    return 1;
}

static int queue_put(lua_State *L)
{
    dl__script(L);
    dl_queue *q = check_queue(L, 1);
    dl_value v = dl__to_value(L, 2);
    int rc = dl_queue_put(q, v);
    dl_release(v);
    dl__check(L, rc);
    return 0;
}

static int queue_get(lua_State *L)
{
    dl__script(L);
    dl_deferred *d = NULL;
    int rc = dl_queue_get(check_queue(L, 1), &d);
    dl__check(L, rc);
    return push_deferred(L, d);
}

static int queue_index(lua_State *L)
{
    dl_queue *q = check_queue(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "pending") == 0)
        dl__push(L, dl_queue_pending(q)); /* a copy */
    else if (strcmp(k, "waiting") == 0)
        lua_pushinteger(L, (lua_Integer)dl_queue_waiting(q));
    else if (strcmp(k, "size") == 0)
        push_count(L, dl_queue_size(q));
    else if (strcmp(k, "backlog") == 0)
        push_count(L, dl_queue_backlog(q));
    else
        return dl__methods(L);
    return 1;
}

static const luaL_Reg queue_methods[] = {
    {"put", queue_put},
    {"get", queue_get},
    {NULL, NULL},
};

/* ===================================================================== */
/* DeferredLock                                                          */
/* ===================================================================== */

static int l_lock(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_lock *l = dl_lock_new(S->eng);
    if (!l) dl__check(L, -1);
    dl__push_owned(L, dl_lock_value(l));
    dl_obj_release(l);
    return 1;
}

static int lock_acquire(lua_State *L)
{
    dl__script(L);
    return push_deferred(L, dl_lock_acquire(check_lock(L, 1)));
}

static int lock_release(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_lock_release(check_lock(L, 1)));
    return 0;
}

static int lock_run(lua_State *L)
{
    dl__script(L);
    dl_lock *l = check_lock(L, 1);
    /* Twisted: run() without f is a TypeError (a missing argument). */
    if (lua_isnoneornil(L, 2))
        dl__raise_type(L, &dl_type_TypeError, "run() needs the function to run");
    dl__check_callable(L, 2, "run's function");
    dl_fn fn = dl__lua_fn(L, 2, 3, lua_gettop(L) - 2, DL_INPUT_NONE);
    return push_deferred(L, dl_lock_run(l, fn, dl_none()));
}

static int lock_index(lua_State *L)
{
    dl_lock *l = check_lock(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "locked") == 0)
        lua_pushboolean(L, dl_lock_locked(l));
    else if (strcmp(k, "waiting") == 0)
        lua_pushinteger(L, (lua_Integer)dl_lock_waiting(l));
    else
        return dl__methods(L);
    return 1;
}

static const luaL_Reg lock_methods[] = {
    {"acquire", lock_acquire},
    {"release", lock_release},
    {"run", lock_run},
    {NULL, NULL},
};

/* ===================================================================== */
/* DeferredSemaphore                                                     */
/* ===================================================================== */

static int l_semaphore(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_semaphore *s = dl_semaphore_new(S->eng, (int64_t)luaL_checkinteger(L, 1));
    if (!s) dl__check(L, -1);
    dl__push_owned(L, dl_semaphore_value(s));
    dl_obj_release(s);
    return 1;
}

static int sem_acquire(lua_State *L)
{
    dl__script(L);
    return push_deferred(L, dl_semaphore_acquire(check_sem(L, 1)));
}

static int sem_release(lua_State *L)
{
    dl__script(L);
    dl__check(L, dl_semaphore_release(check_sem(L, 1)));
    return 0;
}

static int sem_run(lua_State *L)
{
    dl__script(L);
    dl_semaphore *s = check_sem(L, 1);
    /* Twisted: run() without f is a TypeError (a missing argument). */
    if (lua_isnoneornil(L, 2))
        dl__raise_type(L, &dl_type_TypeError, "run() needs the function to run");
    dl__check_callable(L, 2, "run's function");
    dl_fn fn = dl__lua_fn(L, 2, 3, lua_gettop(L) - 2, DL_INPUT_NONE);
    return push_deferred(L, dl_semaphore_run(s, fn, dl_none()));
}

static int sem_index(lua_State *L)
{
    dl_semaphore *s = check_sem(L, 1);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : ""; /* d[1] is nil */
    if (strcmp(k, "tokens") == 0)
        lua_pushinteger(L, (lua_Integer)dl_semaphore_tokens(s));
    else if (strcmp(k, "limit") == 0)
        lua_pushinteger(L, (lua_Integer)dl_semaphore_limit(s));
    else if (strcmp(k, "waiting") == 0)
        lua_pushinteger(L, (lua_Integer)dl_semaphore_waiting(s));
    else
        return dl__methods(L);
    return 1;
}

static const luaL_Reg sem_methods[] = {
    {"acquire", sem_acquire},
    {"release", sem_release},
    {"run", sem_run},
    {NULL, NULL},
};

/* ===================================================================== */
/* Opening                                                               */
/* ===================================================================== */

static const luaL_Reg globals[] = {
    {"DeferredQueue", l_queue},
    {"DeferredLock", l_lock},
    {"DeferredSemaphore", l_semaphore},
    {NULL, NULL},
};

void dl__open_primitives(lua_State *L)
{
    dl__new_object_type(L, MT_QUEUE, queue_methods, queue_index, NULL);
    dl__new_object_type(L, MT_LOCK, lock_methods, lock_index, NULL);
    dl__new_object_type(L, MT_SEM, sem_methods, sem_index, NULL);
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}
