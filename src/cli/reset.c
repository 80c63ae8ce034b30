/* reset.c - `deferlab reset CHALLENGE|--all [--yes]`: start over.
 *
 * Forgets what the progress file says about one challenge (passed, hints,
 * revealed) or about everything. Asks first on a terminal; --yes answers
 * for the learner, and without a terminal --yes is required. The learner's
 * working copies are never deleted: once confirmed they are moved aside
 * (<file>.reset-<time>, or the whole work folder for --all), so the next
 * check starts again from the starter and nothing typed is lost.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/challenges.h"
#include "lesson/work.h"

static const char reset_usage[] =
    "usage: deferlab reset CHALLENGE|--all [--yes] [--dir ROOT]\n"
    "Forget the progress of one challenge (or of everything). Asks first; --yes to skip.\n"
    "Working copies are moved aside, never deleted.\n";

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Move path to path.reset-<time> (path-.N when that exists too). */
static int move_aside(const char *path, char *aside, size_t n)
{
    long t = (long)time(NULL);
    snprintf(aside, n, "%s.reset-%ld", path, t);
    for (int i = 1; exists(aside) && i < 100; i++)
        snprintf(aside, n, "%s.reset-%ld-%d", path, t, i);
    if (rename(path, aside) != 0) {
        fprintf(stderr, "deferlab reset: cannot move %s aside: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void drop_item(dl_progress_item *items, size_t *n, const char *id)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(items[i].id, id) != 0) continue;
        free(items[i].id);
        memmove(&items[i], &items[i + 1], (*n - i - 1) * sizeof *items);
        (*n)--;
        return;
    }
}

static void describe(const dl_progress_item *it, char *buf, size_t n)
{
    if (!it) {
        snprintf(buf, n, "no progress recorded");
        return;
    }
    snprintf(buf, n, "%s, %d hint%s used%s", it->done ? "passed" : "not passed", it->hints,
             it->hints == 1 ? "" : "s", it->revealed ? ", solution revealed" : "");
}

static const dl_progress_item *find(const dl_progress *p, const char *id)
{
    for (size_t i = 0; i < p->nchallenges; i++)
        if (strcmp(p->challenges[i].id, id) == 0) return &p->challenges[i];
    return NULL;
}

/* The id a CHALLENGE argument names: a challenge file's, or an id only the
 * progress file still knows. */
static int resolve_id(const char *root, const char *arg, const dl_progress *p, char *id, size_t n)
{
    if (find(p, arg)) {
        snprintf(id, n, "%s", arg);
        return 0;
    }
    char path[PATH_MAX];
    if (dl__cli_find_challenge(root, arg, path, sizeof path) != 0) return -1;
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t len = strlen(b);
    if (len > 3 && strcmp(b + len - 3, ".md") == 0) len -= 3;
    snprintf(id, n, "%.*s", (int)len, b);
    return 0;
}

static bool ask(bool yes, const char *question)
{
    if (yes) return true;
    return dl__cli_confirm(question);
}

int dl_cli_reset(int argc, char **argv)
{
    const char *target = NULL, *dir = NULL;
    bool all = false, yes = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(reset_usage, stdout);
            return 0;
        } else if (strcmp(a, "--all") == 0) {
            all = true;
        } else if (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0) {
            yes = true;
        } else if (strcmp(a, "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (a[0] == '-' || target) {
            fprintf(stderr, "deferlab reset: unexpected `%s`\n%s", a, reset_usage);
            return 2;
        } else {
            target = a;
        }
    }
    if (all == (target != NULL)) {
        fprintf(stderr, "deferlab reset: name one challenge, or --all\n%s", reset_usage);
        return 2;
    }
    if (!yes && !isatty(STDIN_FILENO)) {
        fprintf(stderr, "deferlab reset: asks for confirmation, but stdin is not a terminal: "
                        "add --yes to reset anyway\n");
        return 2;
    }
    dl_progress p;
    if (dl__cli_progress_load(&p) != 0) return 2;
    int status = 2;
    char q[PATH_MAX + 256], what[256], work[PATH_MAX], aside[PATH_MAX + 64];
    if (all) {
        snprintf(q, sizeof q, "Forget all progress (%zu lessons, %zu challenges)?", p.nlessons,
                 p.nchallenges);
        if (!ask(yes, q)) {
            puts("Nothing changed.");
            status = 0;
            goto done;
        }
        for (size_t i = 0; i < p.nlessons; i++)
            free(p.lessons[i].id);
        for (size_t i = 0; i < p.nchallenges; i++)
            free(p.challenges[i].id);
        p.nlessons = p.nchallenges = 0;
        dl_progress_set_current(&p, NULL);
        if (dl__cli_progress_save(&p) != 0) goto done;
        puts("Progress forgotten.");
        status = 0;
        if (dl_work_path("x", work, sizeof work) == 0) {
            *strrchr(work, '/') = '\0';
            if (exists(work)) {
                snprintf(q, sizeof q,
                         "Also set your working copies aside (%s is moved, not deleted)?", work);
                if (ask(yes, q)) {
                    if (move_aside(work, aside, sizeof aside) == 0)
                        printf("Your working copies are kept in %s\n", aside);
                    else
                        status = 2;
                }
            }
        }
        goto done;
    }
    char id[256];
    if (resolve_id(dl__cli_root(dir), target, &p, id, sizeof id) != 0) goto done;
    describe(find(&p, id), what, sizeof what);
    snprintf(q, sizeof q, "Forget the progress of %s (%s)?", id, what);
    if (!ask(yes, q)) {
        puts("Nothing changed.");
        status = 0;
        goto done;
    }
    drop_item(p.challenges, &p.nchallenges, id);
    if (dl__cli_progress_save(&p) != 0) goto done;
    printf("Progress of %s forgotten.\n", id);
    status = 0;
    if (dl_work_path(id, work, sizeof work) == 0 && exists(work)) {
        snprintf(q, sizeof q, "Also start over from the starter (%s is moved aside, not deleted)?",
                 work);
        if (ask(yes, q)) {
            if (move_aside(work, aside, sizeof aside) == 0)
                printf("Your working copy is kept as %s\n", aside);
            else
                status = 2;
        }
    }
done:
    dl_progress_free(&p);
    return status;
}
