/* check.h - run a learner's file against a challenge's checks.
 *
 * Each check runs in a fresh sandbox (dl_script) with the default budget and
 * memory: first the assertion helpers (a Lua prelude compiled into the
 * binary: expect, expect_eq, expect_called ... same_behaviour, see
 * docs/challenges.md), then the learner's file, then the check block, whose
 * line numbers are the .md's. A check passes when its block finishes without
 * error and no assertion failed (an assertion that fails inside a callback,
 * where its error becomes a Failure, still fails the check: the helpers
 * report the first failure to the checker the moment it happens).
 *
 * A failure explains itself in one sentence:
 *     check `f is called once` (challenges/07-memoize.md:31): calls: expected 1, got 2
 *     check `x` (challenges/07-memoize.md:12): your file: 07-memoize.lua:4: attempt to ...
 * The learner's prints are kept (output) and never fail a check.
 *
 * predict challenges: the program block runs alone; what it prints is
 * compared (dl_predict_matches) with the learner's global `answer`, as an
 * extra result named "answer".
 *
 * Seeds: a check that uses scenario_seed / random_ops / same_behaviour runs
 * once per seed of dl_check_seeds (stopping at the first that fails), or only
 * with opts->seed when opts->have_seed. Other checks run once.
 */
#ifndef DL_CHECK_H
#define DL_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "lesson/challenge.h"
#include "trace/model.h"

#define DL_CHECK_NSEEDS 5
extern const uint32_t dl_check_seeds[DL_CHECK_NSEEDS];

typedef struct dl_check_opts {
    uint64_t budget; /* instructions per run (0: DL_SCRIPT_DEFAULT_BUDGET) */
    size_t memory;   /* bytes of Lua heap per run (0: the default) */
    bool have_seed;  /* run seeded checks with this seed only */
    uint32_t seed;
} dl_check_opts;

typedef struct dl_check_result {
    const char *name; /* borrowed from the challenge ("answer" for predict) */
    int line;         /* the check's fence line in the .md */
    bool passed;
    bool seeded;     /* ran once per seed */
    uint32_t seed;   /* the seed of the kept run: the failing one, else the last */
    int runs;        /* how many seeds ran */
    char *message;   /* the first failure as a sentence (NULL on a pass) */
    char *output;    /* what the kept run printed, lines joined with '\n' ("" if nothing) */
    char *expected;  /* predict: what the program printed; else NULL */
    char *got;       /* predict: the learner's answer; else NULL */
    dl_model *model; /* every event of the kept run (the failing one when it failed) */
} dl_check_result;

typedef struct dl_check_report {
    dl_check_result *results;
    size_t nresults;
    size_t npassed;
    bool passed; /* every result passed */
} dl_check_report;

/* Run every check of ch against the learner's source text (len bytes). name
 * is how the learner's file is shown ("solution.lua"; use its base name).
 * opts may be NULL. Returns 0 (see out->passed) or DL_ENOMEM; free out with
 * dl_check_report_free either way. */
int dl_check_run_text(const dl_challenge *ch, const char *name, const char *src, size_t len,
                      const dl_check_opts *opts, dl_check_report *out);
/* The same for a file. Returns -1 with the reason in err when it cannot be
 * read (out is then empty). */
int dl_check_run_file(const dl_challenge *ch, const char *path, const dl_check_opts *opts,
                      dl_check_report *out, char *err, size_t errlen);
void dl_check_report_free(dl_check_report *r);

/* The first failed result, or NULL. */
const dl_check_result *dl_check_first_failure(const dl_check_report *r);

/* Where an answer first differs from the program's output (blank lines
 * dropped, as dl_predict_matches compares them): the line number, the line
 * counts, and the answer with "> " marking that line. The program's own
 * output is not included: showing it gives the answer away. New string,
 * NULL on OOM. */
char *dl_check_predict_diff(const char *expected, const char *got);

#endif
