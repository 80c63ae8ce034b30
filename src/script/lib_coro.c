/* lib_coro.c - inlineCallbacks on Lua coroutines, and yield.
 *
 *   local main = inlineCallbacks(function(x)
 *       local v = yield(d)          -- waits; a failed d raises here
 *       return v + x                -- fires the returned Deferred
 *   end)
 *   local d = main(1)
 *
 * `yield` is `coroutine.yield`, replaced by a C function with a
 * continuation: resumed with a private marker and a Failure, it raises that
 * Failure at the yield (so pcall around it catches it); resumed with
 * anything else it returns what it was given, exactly like the original.
 *
 * The driver resumes the coroutine in a loop, not recursively: yielding a
 * Deferred that has already fired delivers its result synchronously (as
 * Twisted's gotResult does) and the loop goes round again, so the C stack
 * stays flat however many fired Deferreds are yielded in a row.
 */
#include <lualib.h>
#include <stdlib.h>

#include "script/script_int.h"

static const char RAISE_MARKER = 0;

/* ===================================================================== */
/* yield                                                                 */
/* ===================================================================== */

static int yield_k(lua_State *L, int status, lua_KContext ctx)
{
    (void)status;
    (void)ctx;
    if (lua_gettop(L) == 2 && lua_touserdata(L, 1) == &RAISE_MARKER) return lua_error(L);
    return lua_gettop(L);
}

static int l_yield(lua_State *L)
{
    return lua_yieldk(L, lua_gettop(L), 0, yield_k);
}

/* ===================================================================== */
/* The driver                                                            */
/* ===================================================================== */

typedef struct icb {
    dl_script *S;
    int refs;
    int coref;            /* registry reference to the coroutine */
    dl_deferred *outer;   /* the Deferred we return; released when done */
    dl_deferred *waiting; /* the Deferred being awaited (a reference), or NULL */
    bool running;         /* inside the driver loop */
    bool ready;           /* a result arrived while running */
    bool done;
    dl_value result; /* that result (owned) */
} icb;

static void icb_release(void *ud)
{
    icb *s = ud;
    if (--s->refs > 0) return;
    if (!s->S->closing && !s->S->closed) luaL_unref(s->S->L, LUA_REGISTRYINDEX, s->coref);
    if (s->outer) dl_deferred_release(s->outer);
    if (s->waiting) dl_deferred_release(s->waiting);
    dl_release(s->result);
    free(s);
}

static void finish(icb *s, dl_value v /* owned */)
{
    s->done = true;
    dl_deferred *outer = s->outer;
    s->outer = NULL;
    if (!outer->called) {
        int rc = dl_is_failure(v) ? dl_deferred_errback(outer, v) : dl_deferred_callback(outer, v);
        if (rc != 0) {
            /* returning a Deferred: AssertionError, as callback() raises it */
            dl_value f = dl_engine_take_raised(outer->eng);
            if (dl_is_failure(f) && !outer->called) dl_deferred_errback(outer, f);
            dl_release(f);
        }
    }
    dl_release(v);
    dl_deferred_release(outer);
}

static int got_result(void *ud, dl_value arg, dl_value *out);
static const char *got_result_name(void *ud)
{
    (void)ud;
    return "inlineCallbacks.gotResult";
}
static const dl_fn_class got_result_class = {got_result, icb_release, got_result_name, "gotResult"};

static void drive(icb *s, lua_State *from, dl_value send /* owned */, int first_nargs);

typedef struct drive_args {
    icb *s;
    int first_nargs; /* >= 0: the first resume */
} drive_args;

/* Runs under lua_pcall: [1] = drive_args. */
static int drive_protected(lua_State *L)
{
    drive_args *a = lua_touserdata(L, 1);
    dl_value v = dl_none();
    if (a->first_nargs < 0) {
        v = a->s->result; /* what the awaited Deferred delivered */
        a->s->result = dl_none();
    }
    drive(a->s, L, v, a->first_nargs);
    return 0;
}

/* Start or resume the coroutine, protected: the engine may be under us
 * (a result arriving), and nothing may raise through it. */
static void drive_safely(icb *s, lua_State *L, int first_nargs)
{
    s->refs++;
    drive_args a = {s, first_nargs};
    dl_value f = dl_none();
    if (!lua_checkstack(L, 3)) {
        f = dl_fail_value(&dl_type_RuntimeError, "stack overflow");
    } else {
        lua_pushcfunction(L, drive_protected);
        lua_pushlightuserdata(L, &a);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
            f = dl__error_to_failure(L, -1, NULL); /* the error object */
            lua_pop(L, 1);
        }
    }
    s->S->cur = L;
    if (dl_is_failure(f)) {
        s->running = false;
        if (!s->done && s->outer)
            finish(s, f);
        else
            dl_release(f);
    }
    icb_release(s);
}

/* The awaited Deferred fired: hand its result over and return None (the
 * awaited Deferred's result becomes None, as in Twisted). */
static int got_result(void *ud, dl_value arg, dl_value *out)
{
    icb *s = ud;
    *out = dl_none();
    if (s->done) return 0;
    dl_release(s->result);
    s->result = dl_retain(arg);
    if (s->waiting) {
        dl_deferred_release(s->waiting);
        s->waiting = NULL;
    }
    if (s->running) {
        s->ready = true; /* the driver loop picks it up */
        return 0;
    }
    dl_script *S = s->S;
    if (S->closing || S->closed) return 0;
    drive_safely(s, S->cur ? S->cur : S->L, -1);
    return 0;
}

/* first_nargs >= 0: first resume, the function and its arguments are
 * already on the coroutine's stack. */
static void drive(icb *s, lua_State *from, dl_value send, int first_nargs)
{
    dl_script *S = s->S;
    lua_rawgeti(from, LUA_REGISTRYINDEX, s->coref); /* push co */
    lua_State *co = lua_tothread(from, -1);
    lua_pop(from, 1); /* s keeps it alive */
    s->running = true;
    for (;;) {
        int nargs = first_nargs;
        first_nargs = -1;
        if (nargs < 0 && (co == from || lua_status(co) != LUA_YIELD)) {
            /* The script resumed this coroutine itself (coroutine.running()
             * leaks it): the yield we wait at is gone. */
            dl_release(send);
            finish(s, dl_fail_value(&dl_type_RuntimeError,
                                    "an inlineCallbacks coroutine was resumed by the script"));
            break;
        }
        if (nargs < 0) {
            /* Push on `from` (protected), then move: never raise on co. */
            luaL_checkstack(from, 3, NULL);
            size_t slot = dl__park(S, send);
            if (dl_is_failure(send)) {
                lua_pushlightuserdata(from, (void *)&RAISE_MARKER);
                dl__push(from, send);
                nargs = 2;
            } else {
                dl__push(from, send);
                nargs = 1;
            }
            dl__unpark(S, slot);
            dl_release(send);
            send = dl_none();
            if (!lua_checkstack(co, nargs)) luaL_error(from, "coroutine stack overflow");
            lua_xmove(from, co, nargs);
        }
        int nres = 0;
        dl__charge(S, co, DL_CROSSING_COST); /* past the budget, co raises: its own line */
        int st = lua_resume(co, from, nargs, &nres);
        S->cur = from;
        if (st == LUA_YIELD) {
            luaL_checkstack(from, 2, NULL);
            if (nres == 0) lua_pushnil(co), nres = 1;
            lua_pop(co, nres - 1);
            lua_xmove(co, from, 1); /* the first yielded value */
            dl_box *b = dl__box_is(from, -1, DL_MT_DEFERRED);
            if (!b || b->v.kind != DL_DEFERRED) {
                send = dl__to_value(from, -1); /* yield 5 gives 5 back */
                lua_pop(from, 1);
                continue;
            }
            dl_deferred *d = dl_deferred_of(b->v);
            lua_pop(from, 1);
            s->ready = false;
            s->waiting = dl_deferred_retain(d);
            s->refs += 2;
            lua_State *hint = S->loc_hint;
            S->loc_hint = co; /* events name the line of the yield */
            dl_deferred_add_callbacks(d, dl_fn_make(&got_result_class, s),
                                      dl_fn_make(&got_result_class, s));
            S->loc_hint = hint;
            dl_release(dl_engine_take_raised(S->eng));
            if (s->done) break;
            if (!s->ready) break; /* it will resume us when d fires */
            send = s->result;
            s->result = dl_none();
            continue;
        }
        if (st == LUA_OK) {
            dl_value v = dl_none();
            if (nres > 0) {
                lua_pop(co, nres - 1);
                lua_xmove(co, from, 1);
                v = dl__to_value(from, -1);
                lua_pop(from, 1);
            }
            finish(s, v);
            break;
        }
        /* The coroutine raised: the failure goes down the errback track. */
        char where[256];
        dl__where(co, 0, where, sizeof where);
        lua_xmove(co, from, 1);
        dl_value f = dl__error_to_failure(from, -1, where);
        lua_pop(from, 1);
        finish(s, f);
        break;
    }
    s->running = false;
}

static const dl_fn_class icb_cancel_class;

/* Cancelling the Deferred inlineCallbacks returned (reference 2.14), as
 * Twisted 22.4 does it: a fresh Deferred takes over as the one the
 * coroutine's result will go to, the awaited Deferred is cancelled (so the
 * coroutine sees CancelledError at its yield and may recover, or wait again),
 * and the cancelled Deferred waits on the fresh one. A raising canceller of
 * the awaited Deferred becomes the cancelled Deferred's failure; cancel()
 * itself does not raise. me is the Deferred being cancelled: the one we
 * returned, or after an earlier cancel the fresh one it waits on. */
static int icb_cancel(void *ud, dl_value arg, dl_value *out)
{
    icb *s = ud;
    dl_deferred *me = dl_deferred_of(arg);
    *out = dl_none();
    if (s->done || !s->waiting || !me) return 0; /* plain CancelledError follows */
    dl_engine *eng = s->S->eng;
    s->refs++; /* the fresh Deferred's canceller shares s */
    dl_deferred *fresh = dl_deferred_new(eng, dl_fn_make(&icb_cancel_class, s));
    if (!fresh) {
        *out = dl_engine_take_raised(eng);
        return DL_ERAISED;
    }
    dl_deferred *old = s->outer;
    s->outer = dl_deferred_retain(fresh);
    if (old) dl_deferred_release(old);
    dl_deferred *w = dl_deferred_retain(s->waiting);
    int rc = dl_deferred_cancel(w); /* the coroutine may resume and even finish here */
    dl_deferred_release(w);
    if (rc != 0) {
        dl_value f = dl_engine_take_raised(eng);
        if (dl_is_failure(f) && !me->called) dl_deferred_errback(me, f);
        dl_release(f);
    } else if (!me->called) {
        dl__deferred_wait_on(me, fresh);
    }
    dl_deferred_release(fresh);
    return 0;
}

static const char *icb_cancel_name(void *ud)
{
    (void)ud;
    return "inlineCallbacks.cancel";
}

static const dl_fn_class icb_cancel_class = {icb_cancel, icb_release, icb_cancel_name, "cancel"};

/* The function inlineCallbacks returns: upvalue 1 is the wrapped function. */
static int icb_call(lua_State *L)
{
    dl_script *S = dl__script(L);
    int n = lua_gettop(L);
    icb *s = calloc(1, sizeof *s);
    if (!s) return luaL_error(L, "out of memory");
    s->S = S;
    s->refs = 1;
    s->result = dl_none();
    s->coref = LUA_NOREF;
    /* From here on s is owned by the outer Deferred's canceller. */
    dl_deferred *outer = dl_deferred_new(S->eng, dl_fn_make(&icb_cancel_class, s));
    if (!outer) return luaL_error(L, "out of memory");
    s->outer = dl_deferred_retain(outer);
    dl__push_new_deferred(L, outer, "");       /* push the result first: it anchors outer */
    lua_State *co = lua_newthread(L);          /* push co */
    s->coref = luaL_ref(L, LUA_REGISTRYINDEX); /* pop co */
    luaL_checkstack(L, n + 1, "too many arguments");
    lua_pushvalue(L, lua_upvalueindex(1));
    for (int i = 1; i <= n; i++)
        lua_pushvalue(L, i);
    if (!lua_checkstack(co, n + 1)) return luaL_error(L, "coroutine stack overflow");
    lua_xmove(L, co, n + 1);
    drive_safely(s, L, n);
    dl__check_killed(L);
    lua_settop(L, n + 1);
    return 1; /* the outer Deferred */
}

static int l_inline_callbacks(lua_State *L)
{
    dl__script(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    lua_pushcclosure(L, icb_call, 1);
    return 1;
}

void dl__open_coro(lua_State *L)
{
    lua_pushcfunction(L, l_yield);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "yield");
    lua_getglobal(L, LUA_COLIBNAME); /* push coroutine */
    lua_insert(L, -2);
    lua_setfield(L, -2, "yield"); /* coroutine.yield = yield */
    lua_pop(L, 1);
    lua_pushcfunction(L, l_inline_callbacks);
    lua_setglobal(L, "inlineCallbacks");
}
