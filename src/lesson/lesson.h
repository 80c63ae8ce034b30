/* lesson.h - a lesson: front matter, prose blocks, runnable Lua cells.
 *
 * Built on dl_doc (doc.h). The format is documented in docs/authoring.md:
 * ```lua fences are cells, a ```python fence right after one is its Twisted
 * twin, and a block quote starting with "Predict:" right before a cell makes
 * it a predict prompt.
 */
#ifndef DL_LESSON_H
#define DL_LESSON_H

#include "lesson/doc.h"

typedef struct dl_cell {
    const char *code; /* borrowed from the doc */
    int code_line;    /* line of the cell's first code line in the .md */
    const char *twin; /* Python twin, or NULL */
    int twin_line;
    char *predict; /* the question, or NULL */
    int predict_line;
    size_t block; /* index of the cell's block in doc->blocks */
} dl_cell;

typedef struct dl_lesson {
    dl_doc *doc;                     /* owned */
    const char *id, *title, *source; /* borrowed from the front matter */
    int level;
    char **requires; /* borrowed */
    size_t nrequires;
    dl_cell *cells;
    size_t ncells;
} dl_lesson;

/* Load and check a lesson. On any problem returns NULL and adds "file:line:
 * message" diagnostics (all problems found, not just the first). */
dl_lesson *dl_lesson_load(const char *path, dl_diags *diags);
dl_lesson *dl_lesson_from_doc(dl_doc *doc, dl_diags *diags); /* takes the doc */
void dl_lesson_free(dl_lesson *l);

/* Check that every `requires` entry names a lesson in ids[0..n). */
void dl_lesson_check_requires(const dl_lesson *l, const char *const *ids, size_t n,
                              dl_diags *diags);

#endif
