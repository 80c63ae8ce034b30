/* test_challenge.c - the challenge loader: structure, line numbers, and a
 * "file:line: message" for every kind of broken challenge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/challenge.h"

#define PATH "challenges/07-memo.md"

static const char GOOD[] = "---\n"                                /* 1 */
                           "id: 07-memo\n"                        /* 2 */
                           "title: Share an in-flight call\n"     /* 3 */
                           "difficulty: 2\n"                      /* 4 */
                           "kind: implement\n"                    /* 5 */
                           "lesson: 01-first-class-calls\n"       /* 6 */
                           "hints:\n"                             /* 7 */
                           "  - Cache the Deferred.\n"            /* 8 */
                           "  - One per caller.\n"                /* 9 */
                           "---\n"                                /* 10 */
                           "\n"                                   /* 11 */
                           "Write `memoize(f)`.\n"                /* 12 */
                           "\n"                                   /* 13 */
                           "```lua\n"                             /* 14 */
                           "-- an illustration\n"                 /* 15 */
                           "```\n"                                /* 16 */
                           "\n"                                   /* 17 */
                           "```lua starter\n"                     /* 18 */
                           "function memoize(f) return f end\n"   /* 19 */
                           "```\n"                                /* 20 */
                           "\n"                                   /* 21 */
                           "```lua check \"calls f once\"\n"      /* 22 */
                           "expect_eq(1, 1, \"one\")\n"           /* 23 */
                           "```\n"                                /* 24 */
                           "\n"                                   /* 25 */
                           "```lua check \"like the builtin\"\n"  /* 26 */
                           "local ops = random_ops(3, {\"a\"})\n" /* 27 */
                           "```\n"                                /* 28 */
                           "\n"                                   /* 29 */
                           "## Explanation\n"                     /* 30 */
                           "\n"                                   /* 31 */
                           "Cache it.\n";                         /* 32 */

static dl_challenge *parse(const char *text, dl_diags *diags)
{
    dl_doc *doc = dl_doc_parse(PATH, text, strlen(text), diags);
    return doc ? dl_challenge_from_doc(doc, diags) : NULL;
}

/* Replace the first occurrence of from in GOOD (or base) with to. */
static char *edit(const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    assert_non_null(at);
    size_t n = strlen(base) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    assert_non_null(s);
    size_t pre = (size_t)(at - base);
    memcpy(s, base, pre);
    strcpy(s + pre, to);
    strcat(s, at + strlen(from));
    return s;
}

static bool has_diag(const dl_diags *d, const char *msg)
{
    for (size_t i = 0; i < d->len; i++)
        if (strcmp(d->msgs[i], msg) == 0) return true;
    return false;
}

/* Parse text, expect failure and exactly the diagnostic msg among the others. */
static void expect_diag(const char *text, const char *msg)
{
    dl_diags d = {0};
    dl_challenge *c = parse(text, &d);
    if (c || !has_diag(&d, msg)) {
        for (size_t i = 0; i < d.len; i++)
            fprintf(stderr, "  got: %s\n", d.msgs[i]);
        fail_msg("expected \"%s\"", msg);
    }
    dl_diags_free(&d);
}

static void expect_edit_diag(const char *from, const char *to, const char *msg)
{
    char *s = edit(GOOD, from, to);
    expect_diag(s, msg);
    free(s);
}

static void good_challenge(void **state)
{
    (void)state;
    dl_diags d = {0};
    dl_challenge *c = parse(GOOD, &d);
    if (!c) fail_msg("%s", d.msgs[0]);
    assert_string_equal(c->id, "07-memo");
    assert_string_equal(c->title, "Share an in-flight call");
    assert_string_equal(c->lesson, "01-first-class-calls");
    assert_int_equal(c->lesson_line, 6);
    assert_int_equal(c->difficulty, 2);
    assert_int_equal(c->kind, DL_CHAL_IMPLEMENT);
    assert_int_equal(c->nhints, 2);
    assert_string_equal(c->hints[1], "One per caller.");
    assert_string_equal(c->starter, "function memoize(f) return f end");
    assert_int_equal(c->starter_line, 19);
    assert_int_equal(c->nchecks, 2);
    assert_string_equal(c->checks[0].name, "calls f once");
    assert_int_equal(c->checks[0].line, 22);
    assert_int_equal(c->checks[0].code_line, 23);
    assert_false(c->checks[0].seeded);
    assert_true(c->checks[1].seeded);
    assert_null(c->program);
    /* The task: the prose and the illustration before the starter. */
    assert_int_equal(c->task_end, 2);
    assert_int_equal(c->doc->blocks[c->explain_first].line, 32);
    assert_non_null(dl_challenge_find_check(c, "like the builtin"));
    assert_null(dl_challenge_find_check(c, "nope"));
    dl_challenge_free(c);
    dl_diags_free(&d);
}

static void missing_starter(void **state)
{
    (void)state;
    expect_edit_diag("```lua starter\n", "```lua\n",
                     PATH ":1: no ```lua starter block (what the learner starts from)");
}

static void second_starter(void **state)
{
    (void)state;
    expect_edit_diag("```lua check \"calls f once\"\n", "```lua starter\n",
                     PATH ":22: a second ```lua starter block (the first is at line 18)");
}

static void unknown_kind(void **state)
{
    (void)state;
    expect_edit_diag("kind: implement", "kind: guess",
                     PATH ":5: unknown kind `guess` (implement, predict or fix)");
}

static void bad_difficulty(void **state)
{
    (void)state;
    expect_edit_diag("difficulty: 2", "difficulty: 9",
                     PATH ":4: difficulty must be a number from 1 to 5, not `9`");
}

static void no_checks(void **state)
{
    (void)state;
    char *a = edit(GOOD, "```lua check \"calls f once\"\n", "```lua\n");
    char *b = edit(a, "```lua check \"like the builtin\"\n", "```lua\n");
    expect_diag(b, PATH ":1: no ```lua check \"name\" blocks: nothing would be checked");
    free(a);
    free(b);
}

static void duplicate_check(void **state)
{
    (void)state;
    expect_edit_diag("check \"like the builtin\"", "check \"calls f once\"",
                     PATH ":26: a second check named \"calls f once\" (the first is at line 22)");
}

static void unnamed_check(void **state)
{
    (void)state;
    expect_edit_diag("check \"like the builtin\"", "check",
                     PATH ":26: a check needs a quoted name: ```lua check \"what it checks\"");
    expect_edit_diag("check \"like the builtin\"", "check \"open",
                     PATH ":26: the check's name is not closed with \"");
}

static void unknown_fence(void **state)
{
    (void)state;
    expect_edit_diag("```lua check \"like the builtin\"", "```lua frobnicate now",
                     PATH ":26: unknown block ```lua frobnicate now (use ```lua starter, ```lua "
                          "check \"name\", ```lua program or a plain ```lua)");
}

static void predict_without_program(void **state)
{
    (void)state;
    char *a = edit(GOOD, "kind: implement", "kind: predict");
    char *b = edit(a, "function memoize(f) return f end", "answer = [[ ]]");
    expect_diag(b, PATH ":5: a predict challenge needs a ```lua program block (what the learner "
                        "predicts the output of)");
    free(a);
    free(b);
}

static void predict_with_program(void **state)
{
    (void)state;
    char *a = edit(GOOD, "kind: implement", "kind: predict");
    char *b = edit(a, "function memoize(f) return f end", "answer = [[ ]]");
    char *c = edit(b, "```lua\n-- an illustration", "```lua program\nprint(1)");
    dl_diags d = {0};
    dl_challenge *ch = parse(c, &d);
    if (!ch) fail_msg("%s", d.msgs[0]);
    assert_string_equal(ch->program, "print(1)");
    assert_int_equal(ch->program_line, 15);
    assert_int_equal(ch->kind, DL_CHAL_PREDICT);
    dl_challenge_free(ch);
    dl_diags_free(&d);
    free(a);
    free(b);
    free(c);
}

static void program_outside_predict(void **state)
{
    (void)state;
    expect_edit_diag("```lua\n-- an illustration", "```lua program\nprint(1)",
                     PATH ":14: ```lua program is only for kind: predict");
}

static void front_matter_problems(void **state)
{
    (void)state;
    expect_edit_diag("id: 07-memo", "id: 08-other",
                     PATH ":2: id `08-other` does not match the file name `07-memo`");
    expect_edit_diag("hints:\n  - Cache the Deferred.\n  - One per caller.\n", "",
                     PATH ":1: front matter needs `hints:` with at least one `- hint` line");
    expect_edit_diag("lesson: 01-first-class-calls\n", "",
                     PATH ":1: front matter needs `lesson: ...`");
    expect_edit_diag("## Explanation", "## Afterwards",
                     PATH ":1: no `## Explanation` section (shown after a pass)");
}

static void check_inside_explanation(void **state)
{
    (void)state;
    char *a = edit(GOOD, "Cache it.\n", "Cache it.\n\n```lua check \"late\"\nexpect(true)\n```\n");
    expect_diag(a, PATH ":34: ```lua check \"late\" inside the explanation (put it before "
                        "`## Explanation`)");
    free(a);
}

static void every_problem_reported(void **state)
{
    (void)state;
    char *a = edit(GOOD, "kind: implement", "kind: guess");
    char *b = edit(a, "difficulty: 2", "difficulty: zero");
    dl_diags d = {0};
    assert_null(parse(b, &d));
    assert_true(has_diag(&d, PATH ":5: unknown kind `guess` (implement, predict or fix)"));
    assert_true(has_diag(&d, PATH ":4: difficulty must be a number from 1 to 5, not `zero`"));
    dl_diags_free(&d);
    free(a);
    free(b);
}

static void unclosed_fence(void **state)
{
    (void)state;
    dl_diags d = {0};
    char *a = edit(GOOD, "```\n\n## Explanation", "\n## Explanation");
    assert_null(parse(a, &d));
    assert_true(d.len > 0);
    assert_non_null(strstr(d.msgs[0], PATH ":26: "));
    dl_diags_free(&d);
    free(a);
}

static void missing_file(void **state)
{
    (void)state;
    dl_diags d = {0};
    assert_null(dl_challenge_load("/nonexistent/challenges/x.md", &d));
    assert_int_equal(d.len, 1);
    assert_string_equal(d.msgs[0],
                        "/nonexistent/challenges/x.md: cannot open: No such file or directory");
    dl_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_challenge),         cmocka_unit_test(missing_starter),
        cmocka_unit_test(second_starter),         cmocka_unit_test(unknown_kind),
        cmocka_unit_test(bad_difficulty),         cmocka_unit_test(no_checks),
        cmocka_unit_test(duplicate_check),        cmocka_unit_test(unnamed_check),
        cmocka_unit_test(unknown_fence),          cmocka_unit_test(predict_without_program),
        cmocka_unit_test(predict_with_program),   cmocka_unit_test(program_outside_predict),
        cmocka_unit_test(front_matter_problems),  cmocka_unit_test(check_inside_explanation),
        cmocka_unit_test(every_problem_reported), cmocka_unit_test(unclosed_fence),
        cmocka_unit_test(missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
