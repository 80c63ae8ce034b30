/* test_check.c - the checker: what a learner reads when a check passes or
 * fails, on small inline challenges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/check.h"

#define PATH "challenges/07-memo.md"

static const char MEMO[] = "---\n"                                        /* 1 */
                           "id: 07-memo\n"                                /* 2 */
                           "title: Share an in-flight call\n"             /* 3 */
                           "difficulty: 2\n"                              /* 4 */
                           "kind: implement\n"                            /* 5 */
                           "lesson: 01-first-class-calls\n"               /* 6 */
                           "hints:\n"                                     /* 7 */
                           "  - Cache the Deferred.\n"                    /* 8 */
                           "---\n"                                        /* 9 */
                           "Write `memoize(f)`.\n"                        /* 10 */
                           "```lua starter\n"                             /* 11 */
                           "function memoize(f) return f end\n"           /* 12 */
                           "```\n"                                        /* 13 */
                           "```lua check \"f is called once\"\n"          /* 14 */
                           "local calls = 0\n"                            /* 15 */
                           "local function slow(x)\n"                     /* 16 */
                           "  calls = calls + 1\n"                        /* 17 */
                           "  return Deferred()\n"                        /* 18 */
                           "end\n"                                        /* 19 */
                           "local g = memoize(slow)\n"                    /* 20 */
                           "g(1); g(1)\n"                                 /* 21 */
                           "expect_eq(calls, 1, \"calls to f\")\n"        /* 22 */
                           "```\n"                                        /* 23 */
                           "```lua check \"everyone gets the value\"\n"   /* 24 */
                           "local d = Deferred()\n"                       /* 25 */
                           "local g = memoize(function() return d end)\n" /* 26 */
                           "local a, b = g(1), g(1)\n"                    /* 27 */
                           "d:callback({1, {x = 2}})\n"                   /* 28 */
                           "expect_result(a, {1, {x = 2}}, \"first\")\n"  /* 29 */
                           "```\n"                                        /* 30 */
                           "## Explanation\n"                             /* 31 */
                           "Cache the Deferred.\n";                       /* 32 */

static const char GOOD_SOLUTION[] = "function memoize(f)\n"
                                    "  local cache = {}\n"
                                    "  return function(x)\n"
                                    "    print('lookup', x)\n"
                                    "    cache[x] = cache[x] or f(x)\n"
                                    "    return cache[x]\n"
                                    "  end\n"
                                    "end\n";

static dl_challenge *load(const char *path, const char *text)
{
    dl_diags d = {0};
    dl_doc *doc = dl_doc_parse(path, text, strlen(text), &d);
    dl_challenge *c = doc ? dl_challenge_from_doc(doc, &d) : NULL;
    if (!c) fail_msg("%s", d.len ? d.msgs[0] : "?");
    dl_diags_free(&d);
    return c;
}

static void run(const dl_challenge *c, const char *src, const dl_check_opts *o, dl_check_report *r)
{
    assert_int_equal(dl_check_run_text(c, "solution.lua", src, strlen(src), o, r), 0);
}

static void passes(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    run(c, GOOD_SOLUTION, NULL, &r);
    assert_true(r.passed);
    assert_int_equal(r.nresults, 2);
    assert_int_equal(r.npassed, 2);
    assert_null(dl_check_first_failure(&r));
    assert_null(r.results[0].message);
    /* The learner's prints are kept, and did not fail anything. */
    assert_string_equal(r.results[0].output, "lookup\t1\nlookup\t1");
    assert_true(dl_model_len(r.results[0].model) > 0);
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void failing_expect_eq(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    run(c, c->starter, NULL, &r);
    assert_false(r.passed);
    assert_int_equal(r.npassed, 1);
    assert_true(r.results[1].passed);
    const dl_check_result *f = dl_check_first_failure(&r);
    assert_ptr_equal(f, &r.results[0]);
    assert_string_equal(f->message,
                        "check `f is called once` (" PATH ":22): calls to f: expected 1, got 2");
    dl_check_report_free(&r);
    run(c, "function memoize(f) return function() return Deferred() end end\n", NULL, &r);
    assert_int_equal(r.npassed, 0);
    assert_string_equal(r.results[0].message,
                        "check `f is called once` (" PATH ":22): calls to f: expected 1, got 0");
    assert_string_equal(r.results[1].message,
                        "check `everyone gets the value` (" PATH ":29): first: expected "
                        "{1, {x = 2}}, but the Deferred has not fired");
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

/* Lua shortens long chunk names ("...tail"); lines are still found. */
static void long_path(void **state)
{
    (void)state;
    const char *path = "/tmp/a/very/long/folder/name/that/goes/on/and/on/challenges/07-memo.md";
    dl_challenge *c = load(path, MEMO);
    dl_check_report r;
    run(c, c->starter, NULL, &r);
    char want[256];
    snprintf(want, sizeof want, "check `f is called once` (%s:22): calls to f: expected 1, got 2",
             path);
    assert_string_equal(r.results[0].message, want);
    dl_check_report_free(&r);
    run(c, "function memoize(f)\n  return function(x) return x.y end\nend\n", NULL, &r);
    snprintf(want, sizeof want,
             "check `f is called once` (%s:21): your code: solution.lua:2: "
             "attempt to index a number value (local 'x')",
             path);
    assert_string_equal(r.results[0].message, want);
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void table_difference(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    run(c,
        "function memoize(f) return function(x) local d = Deferred()\n"
        "  d:callback({1, {x = 3}}); return d end end\n",
        NULL, &r);
    assert_string_equal(r.results[1].message,
                        "check `everyone gets the value` (" PATH ":29): first: expected "
                        "{1, {x = 2}}, got {1, {x = 3}}");
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void learner_file_error(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    run(c, "local t = nil\nprint(t.x)\n", NULL, &r);
    assert_false(r.passed);
    assert_string_equal(r.results[0].message,
                        "check `f is called once` (" PATH ":14): your file: solution.lua:2: "
                        "attempt to index a nil value (local 't')");
    dl_check_report_free(&r);
    run(c, "function memoize(f)\n  return function(x) x = = 1 end\nend\n", NULL, &r);
    assert_string_equal(r.results[1].message, "check `everyone gets the value` (" PATH
                                              ":24): your file: solution.lua:2: unexpected symbol "
                                              "near '='");
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void learner_code_error_during_check(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    run(c, "function memoize(f)\n  return function(x) return x.y end\nend\n", NULL, &r);
    /* The check's line is the one that called into the learner's code. */
    assert_string_equal(r.results[0].message,
                        "check `f is called once` (" PATH ":21): your code: solution.lua:2: "
                        "attempt to index a number value (local 'x')");
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void endless_loop_hits_budget(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    dl_check_opts o = {.budget = 200000};
    run(c, "function memoize(f)\n  return function(x)\n    while true do end\n  end\nend\n", &o,
        &r);
    assert_false(r.passed);
    const char *m = r.results[0].message;
    assert_non_null(strstr(m, "check `f is called once` (" PATH ":"));
    assert_non_null(
        strstr(m, "solution.lua:3: instruction budget exhausted (200000 instructions)"));
    assert_non_null(strstr(m, "(does a loop never end?)"));
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void stray_print_does_not_fail(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    char *src = malloc(strlen(GOOD_SOLUTION) + 64);
    strcpy(src, "print('debugging', 42)\nprint()\n");
    strcat(src, GOOD_SOLUTION);
    run(c, src, NULL, &r);
    assert_true(r.passed);
    assert_string_equal(r.results[1].output, "debugging\t42\n\nlookup\t1\nlookup\t1");
    free(src);
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static const char INSIDE[] = "---\nid: 08-inside\ntitle: t\ndifficulty: 1\nkind: fix\n" /* 1-5 */
                             "lesson: l\nhints: [h]\n---\n"                             /* 6-8 */
                             "```lua starter\nvalue = 1\n```\n"                         /* 9-11 */
                             "```lua check \"inside a callback\"\n"                     /* 12 */
                             "local d = Deferred()\n"                                   /* 13 */
                             "d:addCallback(function(v)\n"                              /* 14 */
                             "  expect_eq(v, 2, \"the value\")\n"                       /* 15 */
                             "end)\n"                                                   /* 16 */
                             "d:addErrback(function() end)\n"                           /* 17 */
                             "d:callback(value)\n"                                      /* 18 */
                             "```\n"
                             "## Explanation\nx\n";

/* An assertion whose error becomes a Failure inside a callback (and is
 * even swallowed by an errback) still fails the check, at its own line. */
static void assertion_inside_callback(void **state)
{
    (void)state;
    dl_challenge *c = load("challenges/08-inside.md", INSIDE);
    dl_check_report r;
    run(c, c->starter, NULL, &r);
    assert_false(r.passed);
    assert_string_equal(r.results[0].message,
                        "check `inside a callback` "
                        "(challenges/08-inside.md:15): the value: expected 2, got 1");
    dl_check_report r2;
    run(c, "value = 2\n", NULL, &r2);
    assert_true(r2.passed);
    dl_check_report_free(&r);
    dl_check_report_free(&r2);
    dl_challenge_free(c);
}

static const char PREDICT[] =
    "---\nid: 09-guess\ntitle: t\ndifficulty: 1\nkind: predict\n" /* 1-5 */
    "lesson: l\nhints: [h]\n---\n"                                /* 6-8 */
    "```lua starter\nanswer = [[\n]]\n```\n"                      /* 9-12 */
    "```lua program\n"                                            /* 13 */
    "local d = succeed(5)\n"                                      /* 14 */
    "d:addCallback(function(v) print('got', v); return v * 2 end)\n"
    "print('first')\n"
    "print('result', d.result)\n"
    "```\n"
    "## Explanation\nx\n";

static void predict_match(void **state)
{
    (void)state;
    dl_challenge *c = load("challenges/09-guess.md", PREDICT);
    dl_check_report r;
    run(c, "answer = [[\n  got 5\n\nfirst\nresult    10\n]]\nprint('hi')\n", NULL, &r);
    assert_true(r.passed);
    assert_int_equal(r.nresults, 1);
    assert_string_equal(r.results[0].name, "answer");
    assert_string_equal(r.results[0].expected, "got\t5\nfirst\nresult\t10");
    assert_string_equal(r.results[0].output, "hi");
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void predict_mismatch(void **state)
{
    (void)state;
    dl_challenge *c = load("challenges/09-guess.md", PREDICT);
    dl_check_report r;
    run(c, "answer = [[\nfirst\ngot 5\nresult 10\n]]\n", NULL, &r);
    assert_false(r.passed);
    assert_string_equal(r.results[0].message,
                        "check `answer` (challenges/09-guess.md:13): your answer differs from what "
                        "the program prints, first difference at line 1 (the program printed "
                        "3 lines; your answer has 3)\n"
                        "\n  your answer:\n"
                        "  > first\n"
                        "    got 5\n"
                        "    result 10\n");
    dl_check_report_free(&r);
    run(c, c->starter, NULL, &r);
    assert_non_null(strstr(r.results[0].message, "your answer is empty"));
    dl_check_report_free(&r);
    run(c, "answer = 42\n", NULL, &r);
    assert_string_equal(
        r.results[0].message,
        "check `answer` (challenges/09-guess.md:13): your file must set `answer` to "
        "a string with what you think the program prints (it is number)");
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

static void predict_diff_shorter(void **state)
{
    (void)state;
    char *d = dl_check_predict_diff("a\nb\n", "a\n");
    assert_string_equal(d, "first difference at line 2 (the program printed 2 lines; your "
                           "answer has 1)\n"
                           "\n  your answer:\n    a\n  > (nothing more)\n");
    free(d);
}

static const char SEEDED[] =
    "---\nid: 10-seeded\ntitle: t\ndifficulty: 1\nkind: implement\n"
    "lesson: l\nhints: [h]\n---\n"
    "```lua starter\nfunction pick(ops) return ops[1] end\n```\n"
    "```lua check \"picks the largest\"\n"
    "local ops = random_ops(4, {1, 2, 3, 4, 5, 6, 7, 8, 9})\n"
    "print(scenario_seed(), table.concat(ops, ' '))\n"
    "expect_eq(pick(ops), math.max(table.unpack(ops)), 'pick')\n"
    "```\n"
    "```lua check \"like the builtin queue\"\n"
    "same_behaviour(Queue, DeferredQueue, function(Q, log)\n"
    "  local q = Q()\n"
    "  for _, op in ipairs(random_ops(6, {'put', 'get'})) do\n"
    "    if op == 'put' then q:put(1); log('put') else log('get', q:get()) end\n"
    "  end\n"
    "end, 'queue')\n"
    "```\n"
    "## Explanation\nx\n";

static void seeds_reproducible(void **state)
{
    (void)state;
    dl_challenge *c = load("challenges/10-seeded.md", SEEDED);
    const char *src = "function pick(ops) return ops[1] end\n"
                      "function Queue() local q = DeferredQueue()\n"
                      "  return {put = function(_, v) q:put(v) end,\n"
                      "          get = function() return succeed(1) end} end\n";
    dl_check_report a, b;
    run(c, src, NULL, &a);
    run(c, src, NULL, &b);
    assert_false(a.passed);
    for (size_t i = 0; i < 2; i++) {
        assert_true(a.results[i].seeded);
        assert_false(a.results[i].passed);
        /* The same seed fails, with the same words and the same output. */
        assert_int_equal(a.results[i].seed, b.results[i].seed);
        assert_string_equal(a.results[i].message, b.results[i].message);
        assert_string_equal(a.results[i].output, b.results[i].output);
        char tail[64];
        snprintf(tail, sizeof tail, "\n  (with seed %u)", a.results[i].seed);
        assert_non_null(strstr(a.results[i].message, tail));
    }
    assert_non_null(strstr(a.results[1].message, "queue: the logs differ at line "));
    assert_non_null(strstr(a.results[1].message, "  yours:    get Deferred(1)"));
    dl_check_report_free(&a);
    dl_check_report_free(&b);

    /* --seed N: only that seed, and scenarios differ between seeds. */
    dl_check_opts o3 = {.have_seed = true, .seed = 3}, o4 = {.have_seed = true, .seed = 4};
    run(c, "function pick(ops) return math.max(table.unpack(ops)) end\n", &o3, &a);
    run(c, "function pick(ops) return math.max(table.unpack(ops)) end\n", &o4, &b);
    assert_true(a.results[0].passed);
    assert_int_equal(a.results[0].runs, 1);
    assert_int_equal(a.results[0].seed, 3);
    assert_int_equal(strncmp(a.results[0].output, "3\t", 2), 0);
    assert_int_equal(strncmp(b.results[0].output, "4\t", 2), 0);
    assert_string_not_equal(a.results[0].output + 2, b.results[0].output + 2);
    /* The learner's Queue is nil here: said plainly. */
    assert_non_null(strstr(a.results[1].message, "queue: your implementation is nil"));
    dl_check_report_free(&a);
    dl_check_report_free(&b);

    /* Without --seed a passing seeded check ran every seed. */
    run(c, "function pick(ops) return math.max(table.unpack(ops)) end\n", NULL, &a);
    assert_true(a.results[0].passed);
    assert_int_equal(a.results[0].runs, DL_CHECK_NSEEDS);
    dl_check_report_free(&a);
    dl_challenge_free(c);
}

static void unreadable_file(void **state)
{
    (void)state;
    dl_challenge *c = load(PATH, MEMO);
    dl_check_report r;
    char err[256];
    assert_int_equal(dl_check_run_file(c, "/nonexistent/x.lua", NULL, &r, err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/x.lua: cannot read: No such file or directory");
    assert_int_equal(r.nresults, 0);
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passes),
        cmocka_unit_test(failing_expect_eq),
        cmocka_unit_test(table_difference),
        cmocka_unit_test(long_path),
        cmocka_unit_test(learner_file_error),
        cmocka_unit_test(learner_code_error_during_check),
        cmocka_unit_test(endless_loop_hits_budget),
        cmocka_unit_test(stray_print_does_not_fail),
        cmocka_unit_test(assertion_inside_callback),
        cmocka_unit_test(predict_match),
        cmocka_unit_test(predict_mismatch),
        cmocka_unit_test(predict_diff_shorter),
        cmocka_unit_test(seeds_reproducible),
        cmocka_unit_test(unreadable_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
