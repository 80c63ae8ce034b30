/* list.c - `deferlab list`: lessons done and challenges passed, with hints used. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/challenges.h"
#include "lesson/lesson.h"

static const char list_usage[] = "usage: deferlab list [--dir ROOT]\n"
                                 "Lessons done, challenges passed, hints used.\n";

static const dl_progress_item *find_item(const dl_progress_item *items, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].id, id) == 0) return &items[i];
    return NULL;
}

int dl_cli_list(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(list_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            fprintf(stderr, "deferlab list: unexpected `%s`\n%s", argv[i], list_usage);
            return 2;
        }
    }
    const char *root = dl__cli_root(dir);
    dl_progress p;
    if (dl__cli_progress_load(&p) != 0) return 2;
    char folder[PATH_MAX], path[PATH_MAX + 256];
    size_t n, done = 0, passed = 0;

    snprintf(folder, sizeof folder, "%slessons", root);
    char **files = dl__cli_files(folder, ".md", &n);
    printf("Lessons\n");
    for (size_t i = 0; files && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        files[i][strlen(files[i]) - 3] = '\0';
        dl_diags diags = {0};
        dl_lesson *l = dl_lesson_load(path, &diags);
        const dl_progress_item *it = find_item(p.lessons, p.nlessons, files[i]);
        bool ok = it && it->done;
        done += ok;
        printf("  %s %-34s %s%s\n", ok ? dl__cli_mark(true) : " ", files[i],
               l ? l->title : "(does not load: see `deferlab lint`)",
               p.current && strcmp(p.current, files[i]) == 0 ? "  <- current" : "");
        dl_lesson_free(l);
        dl_diags_free(&diags);
    }
    size_t nlessons = n;
    dl__cli_free_files(files, n);

    snprintf(folder, sizeof folder, "%schallenges", root);
    files = dl__cli_files(folder, ".md", &n);
    printf("\nChallenges\n");
    for (size_t i = 0; files && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        files[i][strlen(files[i]) - 3] = '\0';
        dl_diags diags = {0};
        dl_challenge *c = dl_challenge_load(path, &diags);
        const dl_progress_item *it = find_item(p.challenges, p.nchallenges, files[i]);
        bool ok = it && it->done;
        passed += ok;
        printf("  %s %-34s %s", ok ? dl__cli_mark(true) : " ", files[i],
               c ? c->title : "(does not load: see `deferlab lint`)");
        if (c && it && it->hints) printf("  (hints %d/%zu)", it->hints, c->nhints);
        if (it && it->revealed) printf("  (solution revealed)");
        putchar('\n');
        dl_challenge_free(c);
        dl_diags_free(&diags);
    }
    printf("\n%zu of %zu lessons done, %zu of %zu challenges passed\n", done, nlessons, passed, n);
    dl__cli_free_files(files, n);
    dl_progress_free(&p);
    return 0;
}
