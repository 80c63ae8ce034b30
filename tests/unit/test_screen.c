/* test_screen.c - golden screen dumps of the workbench, rendered headless
 * from a recorded run (tests/e2e/sample.md), in UTF-8 and in ASCII. The
 * goldens live in tests/golden/; DEFERLAB_UPDATE_GOLDEN=1 rewrites them
 * (review the diff before committing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/play.h"
#include "tui/tui.h"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static void compare_golden(const char *name, const char *screen)
{
    char path[256];
    snprintf(path, sizeof path, "tests/golden/%s.txt", name);
    if (getenv("DEFERLAB_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(screen, f);
        fclose(f);
    }
    char *want = read_file(path);
    if (!want) fail_msg("missing golden %s (run with DEFERLAB_UPDATE_GOLDEN=1)", path);
    if (strcmp(want, screen) != 0) {
        print_error("screen differs from %s; got:\n%s", path, screen);
        free(want);
        fail();
    }
    free(want);
}

/* Find the first event of the given kind at or after from. */
static int64_t find_kind(dl_model *m, int kind, int64_t from)
{
    for (int64_t i = from; i < (int64_t)dl_model_len(m); i++)
        if (dl_model_event(m, (size_t)i)->kind == kind) return i;
    return -1;
}

static void screens(void **state)
{
    (void)state;
    dl_diags diags = {0};
    dl_lesson *l = dl_lesson_load("tests/e2e/sample.md", &diags);
    assert_non_null(l);
    dl_play play;
    assert_int_equal(dl_play_lesson(l, NULL, &play), 0);
    char *s = NULL;

    /* After the callback raised: the token crosses to the errback track. */
    int64_t raised = find_kind(play.model, DL_EV_RETURN, 0);
    assert_true(raised > 0);
    assert_int_equal(dl_tui_snapshot(play.model, raised + 2, 30, 100, 1, 1, &s), 0);
    assert_non_null(strstr(s, "╰"));
    compare_golden("raised-utf8", s);
    free(s);

    /* The same moment in ASCII (a non-UTF-8 locale). */
    assert_int_equal(dl_tui_snapshot(play.model, raised + 2, 30, 100, 0, 1, &s), 0);
    assert_null(strstr(s, "●"));
    compare_golden("raised-ascii", s);
    free(s);

    /* The end: outer took the hand-off, inner holds nil. */
    assert_int_equal(
        dl_tui_snapshot(play.model, (int64_t)dl_model_len(play.model) - 1, 30, 100, 1, 1, &s), 0);
    assert_non_null(strstr(s, "continuation: result handed"));
    compare_golden("end-utf8", s);
    free(s);

    /* Too small. */
    assert_int_equal(dl_tui_snapshot(play.model, 0, 20, 60, 1, 1, &s), 0);
    assert_non_null(strstr(s, "Terminal too small: 60x20"));
    free(s);
    dl_play_free(&play);
    dl_lesson_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(screens)};
    return cmocka_run_group_tests_name("screen goldens", tests, NULL, NULL);
}
