/* test_lesson.c - the lesson loader: structure, line numbers, and a clear
 * "file:line: message" for every kind of broken lesson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"

static const char GOOD[] = "---\n"                           /* 1 */
                           "id: 99-sample\n"                 /* 2 */
                           "title: A sample\n"               /* 3 */
                           "level: 2\n"                      /* 4 */
                           "requires: [01-a, 02-b]\n"        /* 5 */
                           "source: \"seed: post\"\n"        /* 6 */
                           "---\n"                           /* 7 */
                           "\n"                              /* 8 */
                           "# Heading *one*\n"               /* 9 */
                           "\n"                              /* 10 */
                           "Some **bold** and `code` text\n" /* 11 */
                           "over two lines.\n"               /* 12 */
                           "\n"                              /* 13 */
                           "- item one\n"                    /* 14 */
                           "- item two\n"                    /* 15 */
                           "\n"                              /* 16 */
                           "```lua\n"                        /* 17 */
                           "d1 = Deferred()\n"               /* 18 */
                           "print(d1)\n"                     /* 19 */
                           "```\n"                           /* 20 */
                           "\n"                              /* 21 */
                           "```python\n"                     /* 22 */
                           "d1 = Deferred()\n"               /* 23 */
                           "```\n"                           /* 24 */
                           "\n"                              /* 25 */
                           "> **Predict:** what prints?\n"   /* 26 */
                           "\n"                              /* 27 */
                           "```lua\n"                        /* 28 */
                           "print(1)\n"                      /* 29 */
                           "```\n";                          /* 30 */

static dl_lesson *parse(const char *text, dl_diags *diags)
{
    dl_doc *doc = dl_doc_parse("lessons/99-sample.md", text, strlen(text), diags);
    return doc ? dl_lesson_from_doc(doc, diags) : NULL;
}

static void good_lesson(void **state)
{
    (void)state;
    dl_diags diags = {0};
    dl_lesson *l = parse(GOOD, &diags);
    if (!l) fail_msg("%s", diags.msgs[0]);
    assert_string_equal(l->id, "99-sample");
    assert_string_equal(l->title, "A sample");
    assert_string_equal(l->source, "seed: post");
    assert_int_equal(l->level, 2);
    assert_int_equal(l->nrequires, 2);
    assert_string_equal(l->requires[1], "02-b");
    assert_int_equal(l->ncells, 2);
    assert_string_equal(l->cells[0].code, "d1 = Deferred()\nprint(d1)");
    assert_int_equal(l->cells[0].code_line, 18);
    assert_string_equal(l->cells[0].twin, "d1 = Deferred()");
    assert_int_equal(l->cells[0].twin_line, 23);
    assert_null(l->cells[0].predict);
    assert_string_equal(l->cells[1].predict, "what prints?");
    assert_int_equal(l->cells[1].predict_line, 26);
    assert_int_equal(l->cells[1].code_line, 29);

    const dl_doc *doc = l->doc;
    assert_int_equal(doc->blocks[0].kind, DL_BLOCK_HEADING);
    assert_int_equal(doc->blocks[0].level, 1);
    assert_int_equal(doc->blocks[0].line, 9);
    assert_string_equal(doc->blocks[0].spans[1].text, "one");
    assert_int_equal(doc->blocks[0].spans[1].style, DL_STYLE_EM);
    assert_int_equal(doc->blocks[1].kind, DL_BLOCK_PARA);
    assert_int_equal(doc->blocks[1].line, 11);
    char *t = dl_block_text(&doc->blocks[1]);
    assert_string_equal(t, "Some bold and code text over two lines.");
    free(t);
    assert_int_equal(doc->blocks[2].kind, DL_BLOCK_ITEM);
    assert_string_equal(doc->blocks[2].bullet, "-");
    assert_int_equal(doc->blocks[4].kind, DL_BLOCK_CODE);
    assert_int_equal(doc->blocks[4].line, 17);
    dl_lesson_free(l);

    /* requires are checked against the known lessons */
    dl_diags d2 = {0};
    l = parse(GOOD, &d2);
    const char *ids[] = {"01-a"};
    dl_lesson_check_requires(l, ids, 1, &d2);
    assert_int_equal(d2.len, 1);
    assert_string_equal(d2.msgs[0],
                        "lessons/99-sample.md:5: requires `02-b`, but there is no such lesson");
    dl_lesson_free(l);
    dl_diags_free(&d2);
    dl_diags_free(&diags);
}

/* Replace the first occurrence of from with to in GOOD and expect the
 * lesson to be rejected with exactly the message expect. */
static void expect_broken(const char *from, const char *to, const char *expect)
{
    char text[4096];
    const char *at = strstr(GOOD, from);
    assert_non_null(at);
    size_t head = (size_t)(at - GOOD);
    snprintf(text, sizeof text, "%.*s%s%s", (int)head, GOOD, to, at + strlen(from));
    dl_diags diags = {0};
    dl_lesson *l = parse(text, &diags);
    assert_null(l);
    assert_true(diags.len >= 1);
    bool found = false;
    for (size_t i = 0; i < diags.len; i++)
        found = found || strcmp(diags.msgs[i], expect) == 0;
    if (!found) fail_msg("expected \"%s\", got \"%s\"", expect, diags.msgs[0]);
    dl_diags_free(&diags);
}

static void broken_lessons(void **state)
{
    (void)state;
    expect_broken("---\n\n#", "\n\n#",
                  "lessons/99-sample.md:1: front matter opened here is never "
                  "closed with ---");
    expect_broken("level: 2", "level: 9",
                  "lessons/99-sample.md:4: level must be a number from 1 to 5, not `9`");
    expect_broken("title: A sample\n", "",
                  "lessons/99-sample.md:1: front matter needs `title: ...`");
    expect_broken("requires: [01-a, 02-b]", "requires: [01-a",
                  "lessons/99-sample.md:5: front matter: list for `requires` is not closed with ]");
    expect_broken("title: A sample", "just words",
                  "lessons/99-sample.md:3: front matter: expected `key: value`");
    expect_broken("id: 99-sample", "id: 98-other",
                  "lessons/99-sample.md:2: id `98-other` does not match the file name `99-sample`");
    expect_broken("print(1)\n```\n", "print(1)\n",
                  "lessons/99-sample.md:28: code fence opened here is never closed");
    expect_broken(
        "```lua\nd1", "```lua frobnicate\nd1",
        "lessons/99-sample.md:17: unknown cell kind ```lua frobnicate (lessons use ```lua)");
    expect_broken("```lua\nprint(1)\n```\n", "```lua `x`\nprint(1)\n```\n",
                  "lessons/99-sample.md:28: this looks like a code fence but is not one: a ``` "
                  "fence's info string cannot contain a backtick");
    expect_broken("\n```python", "\nwords\n\n```python",
                  "lessons/99-sample.md:24: a ```python twin must directly follow a ```lua cell");
    expect_broken("> **Predict:** what prints?\n\n```lua\nprint(1)\n```\n",
                  "> **Predict:** what prints?\n\nno cell\n",
                  "lessons/99-sample.md:26: predict prompt is not followed by a ```lua cell");
}

static void hostile_bytes(void **state)
{
    (void)state;
    dl_diags diags = {0};
    const char junk[] = "---\nid: x\n\x01\x02\0\xff binary";
    assert_null(dl_doc_parse("x.md", junk, sizeof junk - 1, &diags));
    assert_string_equal(diags.msgs[0], "x.md:3: not a text file (NUL byte)");
    dl_diags_free(&diags);

    const char bad_utf8[] = "line one\nline \xc3\x28 two\n";
    assert_null(dl_doc_parse("y.md", bad_utf8, sizeof bad_utf8 - 1, &diags));
    assert_string_equal(diags.msgs[0], "y.md:2: not valid UTF-8 (byte 0xc3)");
    dl_diags_free(&diags);

    size_t big = 10 * 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    assert_null(dl_doc_parse("big.md", huge, big, &diags));
    assert_string_equal(diags.msgs[0], "big.md: file too large (10.0 MiB; the limit is 1 MiB)");
    free(huge);
    dl_diags_free(&diags);

    assert_null(dl_lesson_load("/nonexistent/lesson.md", &diags));
    assert_string_equal(diags.msgs[0],
                        "/nonexistent/lesson.md: cannot open: No such file or directory");
    dl_diags_free(&diags);

    /* An empty file and a file with only front matter: clear messages. */
    dl_doc *doc = dl_doc_parse("e.md", "", 0, &diags);
    assert_non_null(doc);
    assert_null(dl_lesson_from_doc(doc, &diags));
    assert_string_equal(diags.msgs[0], "e.md:1: a lesson starts with front matter (---)");
    dl_diags_free(&diags);
}

/* Front matter lists written as `- item` lines (challenge hints use them). */
static void dash_lists(void **state)
{
    (void)state;
    const char text[] =
        "---\nid: c\nhints:\n  - first: with colon\n  - \"second\"\nkind: fix\n---\n";
    dl_diags diags = {0};
    dl_doc *doc = dl_doc_parse("c.md", text, sizeof text - 1, &diags);
    assert_non_null(doc);
    const dl_fm_entry *h = dl_fm_get(&doc->fm, "hints");
    assert_non_null(h);
    assert_true(h->is_list);
    assert_int_equal(h->nitems, 2);
    assert_string_equal(h->items[0], "first: with colon");
    assert_string_equal(h->items[1], "second");
    assert_string_equal(dl_fm_get(&doc->fm, "kind")->value, "fix");
    dl_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_lesson),
        cmocka_unit_test(broken_lessons),
        cmocka_unit_test(hostile_bytes),
        cmocka_unit_test(dash_lists),
    };
    return cmocka_run_group_tests_name("lesson loader", tests, NULL, NULL);
}
