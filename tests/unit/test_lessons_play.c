/* test_lessons_play.c - every lesson in lessons/ loads, its requires exist,
 * it plays headless with no failing cell, and every predict prompt has an
 * answer the engine produces (its cell prints something).
 * Run from the repository root (tests/run-all.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/play.h"

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void every_lesson_plays(void **state)
{
    (void)state;
    DIR *d = opendir("lessons");
    assert_non_null(d);
    char *paths[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 3 && strcmp(e->d_name + len - 3, ".md") == 0) {
            char p[512];
            snprintf(p, sizeof p, "lessons/%s", e->d_name);
            paths[n++] = strdup(p);
        }
    }
    closedir(d);
    qsort(paths, n, sizeof *paths, cmp);
    assert_true(n >= 21);

    dl_lesson *lessons[256] = {0};
    const char *ids[256];
    int problems = 0;
    for (size_t i = 0; i < n; i++) {
        dl_diags diags = {0};
        lessons[i] = dl_lesson_load(paths[i], &diags);
        for (size_t k = 0; k < diags.len; k++, problems++)
            print_error("%s\n", diags.msgs[k]);
        dl_diags_free(&diags);
        ids[i] = lessons[i] ? lessons[i]->id : "";
    }
    for (size_t i = 0; i < n; i++) {
        dl_lesson *l = lessons[i];
        if (!l) continue;
        dl_diags diags = {0};
        dl_lesson_check_requires(l, ids, n, &diags);
        for (size_t k = 0; k < diags.len; k++, problems++)
            print_error("%s\n", diags.msgs[k]);
        dl_diags_free(&diags);

        dl_play play;
        int rc = dl_play_lesson(l, NULL, &play);
        if (rc != 0) {
            print_error("%s: %s\n", paths[i], play.error);
            problems++;
        }
        for (size_t c = 0; c < l->ncells && rc == 0; c++) {
            if (!l->cells[c].predict) continue;
            char *out = dl_play_cell_output(&play, c);
            if (!out || !out[0]) {
                print_error("%s:%d: the predict prompt's cell printed nothing\n", paths[i],
                            l->cells[c].predict_line);
                problems++;
            }
            free(out);
        }
        dl_play_free(&play);
    }
    for (size_t i = 0; i < n; i++) {
        dl_lesson_free(lessons[i]);
        free(paths[i]);
    }
    assert_int_equal(problems, 0);
}

/* The player marks each cell's events, and a prediction compares loosely. */
static void cells_and_predictions(void **state)
{
    (void)state;
    dl_diags diags = {0};
    dl_lesson *l = dl_lesson_load("tests/e2e/sample.md", &diags);
    assert_non_null(l);
    dl_play play;
    assert_int_equal(dl_play_lesson(l, NULL, &play), 0);
    assert_int_equal(play.ncells, 2);
    assert_int_equal(dl_play_cell_of(&play, play.cell_start[1]), 1);
    assert_int_equal(dl_play_cell_of(&play, play.cell_start[1] - 1), 0);
    const dl_trace_rec *r = dl_model_event(play.model, (size_t)play.cell_start[1]);
    assert_int_equal(r->kind, DL_EV_CELL);
    assert_int_equal(r->line, l->cells[1].code_line);
    char *out = dl_play_cell_output(&play, 1);
    assert_true(dl_predict_matches("v   nil", out));
    assert_true(dl_predict_matches("\n  v nil  \n\n", out));
    assert_false(dl_predict_matches("v", out));
    assert_false(dl_predict_matches("v nil\nmore", out));
    free(out);
    dl_play_free(&play);
    dl_lesson_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_and_predictions),
        cmocka_unit_test(every_lesson_plays),
    };
    return cmocka_run_group_tests_name("lessons play headless", tests, NULL, NULL);
}
