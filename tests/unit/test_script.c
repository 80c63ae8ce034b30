/* test_script.c - the Lua host seen from C: events, locations, names,
 * limits, and the end of a run. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "script/script.h"

/* Every event as "kind@time file:line name|text|value" lines. */
static char OUT[65536];

static void record(void *ud, const dl_event *ev)
{
    (void)ud;
    char v[256];
    dl_repr(ev->value, v, sizeof v);
    size_t len = strlen(OUT);
    snprintf(OUT + len, sizeof OUT - len, "%s@%g %s:%d %s|%s|%s\n", dl_event_wire_name(ev->kind),
             ev->time, ev->file ? ev->file : "-", ev->line, ev->name ? ev->name : "",
             ev->text ? ev->text : "", v);
}

static dl_script *new_script(uint64_t budget, size_t memory)
{
    dl_script_opts o;
    dl_script_opts_default(&o);
    if (budget) o.budget = budget;
    if (memory) o.memory = memory;
    dl_script *S = dl_script_new(&o);
    assert_non_null(S);
    dl_engine_observe(dl_script_engine(S), record, NULL);
    OUT[0] = '\0';
    return S;
}

static int run(dl_script *S, const char *src)
{
    return dl_script_run(S, "t.lua", src, strlen(src));
}

static void has(const char *needle)
{
    if (!strstr(OUT, needle)) fail_msg("no \"%s\" in events:\n%s", needle, OUT);
}

/* print() is an OUTPUT event carrying the script location. */
static void print_is_an_event(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    assert_int_equal(run(S, "\n print('hi', 1)\n note('n')\n"), 0);
    has("output@0 t.lua:2 |hi\t1|nil");
    has("note@0 t.lua:3 |n|nil");
    assert_int_equal(dl_script_finish(S), 0);
    dl_script_free(S);
}

/* Labels come from the assigning line; callbacks are named from their
 * definition; every event carries the innermost script line. */
static void names_and_locations(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    assert_int_equal(run(S, "local function double(x) return x * 2 end\n"
                            "local d1 = Deferred()\n"
                            "d1:addCallback(double)\n"
                            "local d2 = Deferred()\n"
                            "d1:addCallback(function(r) d2:callback(r) return r end)\n"
                            "d1:callback(4)\n"),
                     0);
    has("label@0 t.lua:2 |d1|nil");
    has("added@0 t.lua:3 double||nil");
    has("added@0 t.lua:5 \xce\xbb@5||nil");
    has("call@0 t.lua:6 double||4");
    has("return@0 t.lua:6 double||8");
    has("fired@0 t.lua:5 |callback|8"); /* inside the callback: its own line */
    dl_script_free(S);
}

/* Cells of one lesson run as several chunks under one name: names still
 * come from each cell's own lines. */
static void cells_share_a_name(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    const char *c1 = "first = Deferred()\n";
    const char *c2 = "\n\nsecond = Deferred()\n";
    assert_int_equal(dl_script_run(S, "l.md", c1, strlen(c1)), 0);
    assert_int_equal(dl_script_run(S, "l.md", c2, strlen(c2)), 0);
    has("label@0 l.md:1 |first|");
    has("label@0 l.md:3 |second|");
    dl_script_free(S);
}

/* The REPL runs every input as line 1 of one chunk: a line read once for
 * labels must be read again when its text changes. */
static void a_line_rewritten_is_read_again(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    const char *in1 = "x = Deferred()";
    const char *in2 = "y = Deferred()";
    const char *in3 = "x = Deferred()";
    assert_int_equal(dl_script_run(S, "repl", in1, strlen(in1)), 0);
    assert_int_equal(dl_script_run(S, "repl", in2, strlen(in2)), 0);
    assert_int_equal(dl_script_run(S, "repl", in3, strlen(in3)), 0);
    has("label@0 repl:1 |x|");
    has("label@0 repl:1 |y|");
    has("label@0 repl:1 |x_2|");
    dl_script_free(S);
}

/* An unhandled failure is reported when the run ends, and the host's
 * references released after lua_close are harmless. */
static void unhandled_at_finish(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    assert_int_equal(run(S, "local t = {}\n"
                            "d = Deferred()\n"
                            "d:addCallback(function() return Deferred() end)\n"
                            "d:callback(t)\n" /* waits forever, holding t */
                            "fail(ValueError('lost'))\n"),
                     0);
    assert_int_equal(dl_script_finish(S), 0);
    has("unhandled@0 -:0 ||Failure(ValueError: lost)");
    assert_string_equal(dl_script_error(S), "");
    dl_script_free(S);
}

/* Limits end the run with a clear message, never a crash, and stay
 * failed at the end. */
static void budget_is_final(void **state)
{
    (void)state;
    dl_script *S = new_script(100000, 0);
    assert_int_equal(run(S, "for i = 1, 10 do pcall(function() while true do end end) end"), -1);
    assert_string_equal(dl_script_error(S),
                        "t.lua:1: instruction budget exhausted (100000 instructions)");
    assert_int_equal(run(S, "print('no more')"), -1);
    assert_int_equal(dl_script_finish(S), -1);
    dl_script_free(S);
}

static void memory_is_final(void **state)
{
    (void)state;
    dl_script *S = new_script(0, (size_t)4 << 20);
    assert_int_equal(run(S, "local t = {}\nwhile true do t[#t+1] = ('x'):rep(100) .. #t end"), -1);
    assert_string_equal(dl_script_error(S), "t.lua:2: memory limit exceeded (4 MiB)");
    assert_int_equal(dl_script_finish(S), -1);
    dl_script_free(S);
}

/* Errors name the file and line; tracebacks come with them. */
static void errors_have_locations(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    assert_int_equal(run(S, "local x = 1\nerror(KeyError('k'))"), -1);
    assert_string_equal(dl_script_error(S), "t.lua:2: KeyError: k");
    assert_non_null(strstr(dl_script_traceback(S), "stack traceback"));
    assert_int_equal(run(S, "x = = 1"), -1);
    assert_string_equal(dl_script_error(S), "t.lua:1: unexpected symbol near '='");
    dl_script_free(S);
}

/* Events carry the reactor's virtual time. */
static void events_carry_virtual_time(void **state)
{
    (void)state;
    dl_script *S = new_script(0, 0);
    assert_int_equal(run(S, "reactor:callLater(1.5, function() print('now') end)\n"
                            "reactor:advance(2)\n"),
                     0);
    has("output@2 t.lua:1 |now|nil");
    has("clock-advance@2 t.lua:2 ||nil");
    dl_script_free(S);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(print_is_an_event),
        cmocka_unit_test(names_and_locations),
        cmocka_unit_test(cells_share_a_name),
        cmocka_unit_test(a_line_rewritten_is_read_again),
        cmocka_unit_test(unhandled_at_finish),
        cmocka_unit_test(budget_is_final),
        cmocka_unit_test(memory_is_final),
        cmocka_unit_test(errors_have_locations),
        cmocka_unit_test(events_carry_virtual_time),
    };
    return cmocka_run_group_tests_name("script", tests, NULL, NULL);
}
