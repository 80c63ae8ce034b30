/* challenges.h - the challenge subcommands: check, watch, hint, list, reset, lint.
 *
 * Each takes the arguments after its own name (argv[0] is the first one) and
 * returns the exit status: 0 success / pass, 1 a failed check or a lint
 * problem, 2 a usage error or a broken / missing file.
 *
 * Where things are: challenges in ROOT/challenges, reference solutions in
 * ROOT/solutions, lessons in ROOT/lessons, ROOT being --dir DIR, else the
 * current folder when it has a challenges/ or lessons/ folder, else the
 * installed data folder. The learner's working copies live in
 * $XDG_STATE_HOME/deferlab/work/<id>.lua (default ~/.local/state/...), next
 * to the progress file.
 */
#ifndef DL_CLI_CHALLENGES_H
#define DL_CLI_CHALLENGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lesson/challenge.h"
#include "lesson/check.h"
#include "lesson/progress.h"

int dl_cli_check(int argc, char **argv);
int dl_cli_watch(int argc, char **argv);
int dl_cli_hint(int argc, char **argv);
int dl_cli_list(int argc, char **argv);
int dl_cli_reset(int argc, char **argv);
int dl_cli_lint(int argc, char **argv);

/* ---- shared by the files above (chal_common.c) ------------------------- */

/* The data root (see above) as a prefix for "challenges/..." ("" for the
 * current folder, else "DIR/"); dir is --dir's value or NULL. */
const char *dl__cli_root(const char *dir);
/* Resolve CHALLENGE (an id, an id prefix like "07", or a path to a .md)
 * to a path under root/challenges. 0, or -1 with a message on stderr. */
int dl__cli_find_challenge(const char *root, const char *arg, char *path, size_t n);
/* Load it; problems go to stderr as file:line: message. NULL on failure. */
dl_challenge *dl__cli_load_challenge(const char *root, const char *arg);
/* Create the working copy from the starter when it does not exist (never
 * overwriting). 1 when created, 0 when it existed, -1 on error (stderr). */
int dl__cli_ensure_work(const dl_challenge *c, const char *path);
/* Load the progress file; a corrupt file is reported (it was moved aside).
 * 0, or -1 when it cannot be read (message on stderr). */
int dl__cli_progress_load(dl_progress *p);
/* Save it; a failure is reported on stderr. 0 or -1. */
int dl__cli_progress_save(const dl_progress *p);
/* ✓ / ✗ when the locale speaks UTF-8, else + / x. */
const char *dl__cli_mark(bool ok);
/* Print a report as `deferlab check` does. Returns 0 when it passed, else 1. */
int dl__cli_print_report(FILE *out, const dl_challenge *c, const char *solution,
                         const dl_check_report *r);
/* Print blocks [first, end) of the doc as plain text, indented. */
void dl__cli_print_blocks(FILE *out, const dl_doc *doc, size_t first, size_t end);
/* Ask a yes/no question on the terminal; false unless the answer is y/yes. */
bool dl__cli_confirm(const char *question);
/* The sorted names of the files in dir that end in suffix (".md"); a
 * missing folder is empty. Free with dl__cli_free_files. NULL only on OOM. */
char **dl__cli_files(const char *dir, const char *suffix, size_t *n);
void dl__cli_free_files(char **v, size_t n);
/* Parse a decimal seed (0 .. 2^32-1). */
bool dl__cli_parse_seed(const char *s, uint32_t *out);

#endif
