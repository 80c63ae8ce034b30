/* luafloor.c - the Lua VM alone, outside deferlab: run a Lua file in a bare
 * lua_State (the standard libraries, nothing of deferlab's), with or without
 * a count hook like the sandbox's, and time it.
 *
 * bench/run.sh runs bench/chain10_floor.lua through it twice, so the table
 * shows what the VM costs with and without the instruction budget's hook:
 * in Lua 5.4 any count hook makes the VM stop before every instruction,
 * whatever its step.
 *
 * usage: luafloor FILE OPS [HOOK_STEP]   prints one bench= line; the
 * script's own print() is silenced.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)L;
    (void)ar;
}

static int quiet_print(lua_State *L)
{
    (void)L;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: luafloor FILE OPS [HOOK_STEP]\n");
        return 2;
    }
    int step = argc > 3 ? atoi(argv[3]) : 0;
    lua_State *L = luaL_newstate();
    BENCH_CHECK(L != NULL);
    luaL_openlibs(L);
    lua_register(L, "print", quiet_print);
    if (step > 0) lua_sethook(L, count_hook, LUA_MASKCOUNT, step);
    double t0 = bench_now();
    if (luaL_dofile(L, argv[1]) != LUA_OK) {
        fprintf(stderr, "luafloor: %s\n", lua_tostring(L, -1));
        return 1;
    }
    double t1 = bench_now();
    lua_close(L);
    printf("bench=lua-vm-%s impl=lua ops=%s seconds=%.6f\n", step > 0 ? "hooked" : "bare", argv[2],
           t1 - t0);
    return 0;
}
