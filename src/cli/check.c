/* check.c - `deferlab check CHALLENGE [SOLUTION.lua] [--seed N]`.
 *
 * Runs the learner's file (default: their working copy, created from the
 * starter the first time) against the challenge's checks, prints each check
 * with a mark, the first failure explained, what the learner's code printed,
 * and after a pass the explanation and where the reference solution is. A
 * pass is recorded in the progress file.
 * Exit status: 0 pass, 1 fail, 2 error (bad challenge, missing file, usage).
 */
#include <limits.h>
#include <string.h>

#include "cli/challenges.h"
#include "lesson/work.h"

static const char check_usage[] =
    "usage: deferlab check CHALLENGE [SOLUTION.lua] [--seed N] [--reveal] [--dir ROOT]\n"
    "\n"
    "CHALLENGE is an id (07-memoize), an id prefix (07) or a path to the .md.\n"
    "SOLUTION defaults to your working copy, $XDG_STATE_HOME/deferlab/work/<id>.lua\n"
    "(created from the starter the first time; never overwritten).\n"
    "  --seed N     run the seeded checks with this seed only (to replay a failure)\n"
    "  --reveal     predict challenges: also show what the program printed (the answer)\n"
    "  --dir ROOT   where challenges/, solutions/ and lessons/ are (default: .)\n";

/* Record a pass; returns 0 or -1 (reported). */
static int record_pass(const dl_challenge *c)
{
    dl_progress p;
    if (dl__cli_progress_load(&p) != 0) return -1;
    dl_progress_item *it = dl_progress_challenge(&p, c->id);
    int rc = -1;
    if (it) {
        it->done = true;
        rc = dl__cli_progress_save(&p);
    }
    dl_progress_free(&p);
    return rc;
}

int dl_cli_check(int argc, char **argv)
{
    const char *target = NULL, *solution = NULL, *dir = NULL;
    dl_check_opts opts = {0};
    bool reveal = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(check_usage, stdout);
            return 0;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (!dl__cli_parse_seed(argv[++i], &opts.seed)) {
                fprintf(stderr, "deferlab check: --seed wants a number from 0 to 4294967295\n");
                return 2;
            }
            opts.have_seed = true;
        } else if (strcmp(a, "--reveal") == 0) {
            reveal = true;
        } else if (strcmp(a, "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (a[0] == '-' || (target && solution)) {
            fprintf(stderr, "deferlab check: unexpected `%s`\n%s", a, check_usage);
            return 2;
        } else if (!target) {
            target = a;
        } else {
            solution = a;
        }
    }
    if (!target) {
        fprintf(stderr, "deferlab check: which challenge?\n%s", check_usage);
        return 2;
    }
    dl_challenge *c = dl__cli_load_challenge(dl__cli_root(dir), target);
    if (!c) return 2;
    char work[PATH_MAX];
    int status = 2;
    if (!solution) {
        if (dl_work_path(c->id, work, sizeof work) != 0) {
            fprintf(stderr, "deferlab check: no home folder for your working copy; name a file\n");
            goto done;
        }
        int made = dl__cli_ensure_work(c, work);
        if (made < 0) goto done;
        if (made)
            printf("Created your working copy from the starter: %s\n"
                   "Edit it, then run `deferlab check %s` again (or `deferlab watch %s`).\n\n",
                   work, c->id, c->id);
        solution = work;
    }
    dl_check_report r;
    char err[1024];
    int rc = dl_check_run_file(c, solution, &opts, &r, err, sizeof err);
    if (rc == -1) {
        fprintf(stderr, "deferlab check: %s\n", err);
        goto done;
    }
    if (rc != 0) {
        fprintf(stderr, "deferlab check: out of memory\n");
        dl_check_report_free(&r);
        goto done;
    }
    status = dl__cli_print_report(stdout, c, solution, &r);
    for (size_t i = 0; i < r.nresults; i++) {
        const dl_check_result *res = &r.results[i];
        if (res->passed || !res->expected) continue;
        if (reveal)
            printf("\nWhat the program printed (you asked with --reveal):\n%s\n", res->expected);
        else
            printf("\n(deferlab check %s --reveal shows what the program printed.)\n", c->id);
    }
    dl_check_report_free(&r);
    if (status == 0 && !opts.have_seed) record_pass(c);
done:
    dl_challenge_free(c);
    return status;
}
