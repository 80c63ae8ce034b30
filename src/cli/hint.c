/* hint.c - `deferlab hint CHALLENGE`: the next hint, one at a time.
 *
 * Hints are shown in order; the number shown is kept in the progress file,
 * so the next call shows the next one (and `deferlab list` can say how many
 * were used). After the last, the last is shown again.
 */
#include <string.h>

#include "cli/challenges.h"

static const char hint_usage[] = "usage: deferlab hint CHALLENGE [--dir ROOT]\n"
                                 "Shows the next hint of the challenge (they are counted).\n";

int dl_cli_hint(int argc, char **argv)
{
    const char *target = NULL, *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(hint_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (argv[i][0] == '-' || target) {
            fprintf(stderr, "deferlab hint: unexpected `%s`\n%s", argv[i], hint_usage);
            return 2;
        } else {
            target = argv[i];
        }
    }
    if (!target) {
        fprintf(stderr, "deferlab hint: which challenge?\n%s", hint_usage);
        return 2;
    }
    dl_challenge *c = dl__cli_load_challenge(dl__cli_root(dir), target);
    if (!c) return 2;
    dl_progress p;
    int status = 2;
    if (dl__cli_progress_load(&p) != 0) goto done;
    dl_progress_item *it = dl_progress_challenge(&p, c->id);
    if (!it) {
        fprintf(stderr, "deferlab hint: out of memory\n");
        goto free_progress;
    }
    size_t shown = (size_t)it->hints;
    if (shown >= c->nhints) {
        printf("%s: that was the last hint (%zu of %zu):\n  %s\n", c->id, c->nhints, c->nhints,
               c->hints[c->nhints - 1]);
        status = 0;
        goto free_progress;
    }
    printf("%s: hint %zu of %zu\n  %s\n", c->id, shown + 1, c->nhints, c->hints[shown]);
    it->hints = (int)shown + 1;
    status = dl__cli_progress_save(&p) == 0 ? 0 : 2;
free_progress:
    dl_progress_free(&p);
done:
    dl_challenge_free(c);
    return status;
}
