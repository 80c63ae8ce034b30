/* lint.c - `deferlab lint [--dir ROOT]`: keep the lessons and challenges honest.
 *
 * Every lesson in ROOT/lessons loads, requires lessons that exist and runs
 * headless (every cell, on the virtual clock) without an error. Every
 * challenge in ROOT/challenges loads, follows a lesson that exists, has a
 * reference solution ROOT/solutions/<id>.lua that PASSES all its checks, and
 * a starter that FAILS at least one (else the checks would not notice an
 * unsolved challenge). A solution without a challenge is a problem too.
 * Problems are printed as file:line: message; exit 1 when there is any.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/challenges.h"
#include "lesson/lesson.h"
#include "lesson/play.h"

static const char lint_usage[] =
    "usage: deferlab lint [--dir ROOT]\n"
    "Every lesson in ROOT/lessons loads and runs; every challenge in ROOT/challenges loads,\n"
    "its starter fails a check and its solution in ROOT/solutions passes them all.\n";

typedef struct lint {
    const char *root;
    size_t problems;
    char **lesson_ids;
    size_t nlessons;
    char **challenge_ids;
    size_t nchallenges;
} lint;

static void report(lint *L, dl_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        printf("%s\n", d->msgs[i]);
    L->problems += d->len;
    dl_diags_free(d);
}

static bool has(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

static void strip_suffix(char **names, size_t n, size_t suffix)
{
    for (size_t i = 0; i < n; i++)
        names[i][strlen(names[i]) - suffix] = '\0';
}

static void lint_lessons(lint *L)
{
    char folder[PATH_MAX], path[PATH_MAX + 256];
    snprintf(folder, sizeof folder, "%slessons", L->root);
    for (size_t i = 0; i < L->nlessons; i++) {
        snprintf(path, sizeof path, "%s/%s.md", folder, L->lesson_ids[i]);
        dl_diags d = {0};
        dl_lesson *l = dl_lesson_load(path, &d);
        if (l) dl_lesson_check_requires(l, (const char *const *)L->lesson_ids, L->nlessons, &d);
        report(L, &d);
        if (l) {
            /* Headless, on the virtual clock: every cell must run. */
            dl_play play;
            int rc = dl_play_lesson(l, NULL, &play);
            if (rc == -1) {
                printf("%s (cell %d does not run)\n", play.error, play.failed_cell + 1);
                L->problems++;
            } else if (rc != 0) {
                printf("%s: out of memory while running it\n", path);
                L->problems++;
            }
            dl_play_free(&play);
        }
        dl_lesson_free(l);
    }
}

static void print_indented(const char *prefix, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        printf("%s%.*s\n", prefix, len, p);
        p = nl ? nl + 1 : p + len;
    }
}

static void lint_challenge(lint *L, const char *id)
{
    char path[PATH_MAX + 256], sol[PATH_MAX + 256];
    snprintf(path, sizeof path, "%schallenges/%s.md", L->root, id);
    dl_diags d = {0};
    dl_challenge *c = dl_challenge_load(path, &d);
    if (!c) {
        if (d.len == 0) dl_diags_add(&d, path, 0, "out of memory");
        report(L, &d);
        return;
    }
    if (!has(L->lesson_ids, L->nlessons, c->lesson))
        dl_diags_add(&d, path, c->lesson_line, "lesson `%s` does not exist in %slessons", c->lesson,
                     L->root);
    report(L, &d);

    dl_check_report r;
    int rc = dl_check_run_text(c, "starter.lua", c->starter, strlen(c->starter), NULL, &r);
    if (rc != 0) {
        printf("%s: out of memory while checking the starter\n", path);
        L->problems++;
    } else if (r.passed) {
        printf("%s:%d: the starter passes every check: the checks would not notice an unsolved "
               "challenge\n",
               path, c->starter_line - 1);
        L->problems++;
    }
    dl_check_report_free(&r);

    snprintf(sol, sizeof sol, "%ssolutions/%s.lua", L->root, id);
    char err[1024];
    rc = dl_check_run_file(c, sol, NULL, &r, err, sizeof err);
    if (rc == -1) {
        printf("%s:1: no reference solution (%s)\n", path, err);
        L->problems++;
    } else if (rc != 0) {
        printf("%s: out of memory while checking the reference solution\n", sol);
        L->problems++;
    } else if (!r.passed) {
        const dl_check_result *f = dl_check_first_failure(&r);
        printf("%s: the reference solution fails %zu of %zu checks; the first:\n", sol,
               r.nresults - r.npassed, r.nresults);
        print_indented("    ", f->message);
        L->problems++;
    }
    dl_check_report_free(&r);
    dl_challenge_free(c);
}

int dl_cli_lint(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(lint_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            fprintf(stderr, "deferlab lint: unexpected `%s`\n%s", argv[i], lint_usage);
            return 2;
        }
    }
    lint L = {.root = dl__cli_root(dir)};
    char folder[PATH_MAX];
    size_t nsol = 0;
    snprintf(folder, sizeof folder, "%slessons", L.root);
    L.lesson_ids = dl__cli_files(folder, ".md", &L.nlessons);
    snprintf(folder, sizeof folder, "%schallenges", L.root);
    L.challenge_ids = dl__cli_files(folder, ".md", &L.nchallenges);
    snprintf(folder, sizeof folder, "%ssolutions", L.root);
    char **sols = dl__cli_files(folder, ".lua", &nsol);
    if (!L.lesson_ids || !L.challenge_ids || !sols) {
        fprintf(stderr, "deferlab lint: out of memory\n");
        L.problems++;
        goto done;
    }
    strip_suffix(L.lesson_ids, L.nlessons, 3);
    strip_suffix(L.challenge_ids, L.nchallenges, 3);
    strip_suffix(sols, nsol, 4);
    lint_lessons(&L);
    for (size_t i = 0; i < L.nchallenges; i++)
        lint_challenge(&L, L.challenge_ids[i]);
    for (size_t i = 0; i < nsol; i++) {
        if (has(L.challenge_ids, L.nchallenges, sols[i])) continue;
        printf("%s/%s.lua: a reference solution without challenges/%s.md\n", folder, sols[i],
               sols[i]);
        L.problems++;
    }
    printf("lint: %zu lessons, %zu challenges: %zu problem%s\n", L.nlessons, L.nchallenges,
           L.problems, L.problems == 1 ? "" : "s");
done:
    if (L.lesson_ids) dl__cli_free_files(L.lesson_ids, L.nlessons);
    if (L.challenge_ids) dl__cli_free_files(L.challenge_ids, L.nchallenges);
    if (sols) dl__cli_free_files(sols, nsol);
    return L.problems ? 1 : 0;
}
