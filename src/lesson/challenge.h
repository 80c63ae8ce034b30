/* challenge.h - a challenge: a task the tool checks (docs/challenges.md).
 *
 * Built on dl_doc (doc.h). One Markdown file, challenges/NN-slug.md:
 * front matter (id, title, difficulty, kind, lesson, hints), the task prose,
 * one ```lua starter block, named ```lua check "name" blocks, a ```lua
 * program block for predict challenges, and a `## Explanation` section shown
 * after a pass. Every problem is a "file:line: message" diagnostic.
 */
#ifndef DL_CHALLENGE_H
#define DL_CHALLENGE_H

#include "lesson/doc.h"

typedef enum { DL_CHAL_IMPLEMENT = 0, DL_CHAL_PREDICT, DL_CHAL_FIX } dl_chal_kind;

typedef struct dl_chal_check {
    char *name;       /* owned: the quoted name of the fence */
    const char *code; /* borrowed from the doc */
    int line;         /* line of the opening fence in the .md */
    int code_line;    /* line of the first code line */
    bool seeded;      /* uses scenario_seed / random_ops / same_behaviour: run per seed */
} dl_chal_check;

typedef struct dl_challenge {
    dl_doc *doc;                     /* owned */
    const char *id, *title, *lesson; /* borrowed from the front matter */
    int difficulty;                  /* 1..5 */
    dl_chal_kind kind;
    char **hints; /* borrowed: the front matter list */
    size_t nhints;
    int hints_line, lesson_line; /* where they are in the front matter */
    size_t task_end;             /* the task is doc->blocks[0 .. task_end) */
    const char *starter;         /* borrowed */
    int starter_line;            /* line of the starter's first code line */
    dl_chal_check *checks;
    size_t nchecks;
    const char *program;  /* predict: borrowed; NULL otherwise */
    int program_line;     /* line of its first code line */
    size_t explain_first; /* explanation: doc->blocks[explain_first ..
                             nblocks); == nblocks when empty */
} dl_challenge;

/* "implement", "predict", "fix". */
const char *dl_chal_kind_name(dl_chal_kind k);

/* Load and check a challenge. On any problem returns NULL and adds every
 * problem found as a "file:line: message" diagnostic. */
dl_challenge *dl_challenge_load(const char *path, dl_diags *diags);
/* The same from a parsed doc; takes ownership of doc (even on failure). */
dl_challenge *dl_challenge_from_doc(dl_doc *doc, dl_diags *diags);
void dl_challenge_free(dl_challenge *c);

/* The check named name, or NULL. */
const dl_chal_check *dl_challenge_find_check(const dl_challenge *c, const char *name);

#endif
