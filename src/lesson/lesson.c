/* lesson.c - lessons from Markdown docs, with the checks that keep them honest. */
#include "lesson/lesson.h"

#include <stdlib.h>
#include <string.h>

/* Does info (a fence's info string) name kind, as its first word? */
static bool info_is(const char *info, const char *kind)
{
    size_t n = strlen(kind);
    return strncmp(info, kind, n) == 0 && (info[n] == '\0' || info[n] == ' ');
}

/* The question of a "Predict:" block quote, or NULL if b is not one. */
static char *predict_question(const dl_block *b)
{
    if (b->kind != DL_BLOCK_QUOTE) return NULL;
    char *text = dl_block_text(b);
    if (!text) return NULL;
    const char *p = text;
    while (*p == ' ')
        p++;
    if (strncmp(p, "Predict:", 8) != 0) {
        free(text);
        return NULL;
    }
    p += 8;
    while (*p == ' ')
        p++;
    char *q = strdup(p);
    free(text);
    return q;
}

dl_lesson *dl_lesson_from_doc(dl_doc *doc, dl_diags *diags)
{
    size_t before = diags->len;
    dl_doc_check_fences(doc, diags);
    dl_lesson *l = calloc(1, sizeof *l);
    if (!l) {
        dl_doc_free(doc);
        return NULL;
    }
    l->doc = doc;
    const char *path = doc->path;
    if (!doc->fm.end_line) dl_diags_add(diags, path, 1, "a lesson starts with front matter (---)");
    l->id = dl_fm_scalar(doc, "id", diags);
    l->title = dl_fm_scalar(doc, "title", diags);
    l->source = dl_fm_scalar(doc, "source", diags);
    const char *level = dl_fm_scalar(doc, "level", diags);
    if (level) {
        char *end;
        long v = strtol(level, &end, 10);
        if (*end || v < 1 || v > 5)
            dl_diags_add(diags, path, dl_fm_get(&doc->fm, "level")->line,
                         "level must be a number from 1 to 5, not `%s`", level);
        l->level = (int)v;
    }
    const dl_fm_entry *req = dl_fm_get(&doc->fm, "requires");
    if (!req || !req->is_list) {
        dl_diags_add(diags, path, req ? req->line : 1,
                     "front matter needs `requires: [...]` (may be empty)");
    } else {
        l->requires = req->items;
        l->nrequires = req->nitems;
    }
    if (l->id) {
        char base[256];
        dl_path_stem(path, base, sizeof base);
        if (strcmp(base, l->id) != 0)
            dl_diags_add(diags, path, dl_fm_get(&doc->fm, "id")->line,
                         "id `%s` does not match the file name `%s`", l->id, base);
    }

    /* Cells, twins, predict prompts. */
    l->cells = calloc(doc->nblocks ? doc->nblocks : 1, sizeof *l->cells);
    if (!l->cells) goto fail;
    char *pending_predict = NULL;
    int pending_line = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const dl_block *b = &doc->blocks[i];
        char *q = predict_question(b);
        if (q) {
            if (pending_predict)
                dl_diags_add(diags, path, pending_line,
                             "predict prompt is not followed by a ```lua cell");
            free(pending_predict);
            pending_predict = q;
            pending_line = b->line;
            continue;
        }
        if (b->kind != DL_BLOCK_CODE) {
            if (pending_predict && b->kind != DL_BLOCK_RULE) {
                dl_diags_add(diags, path, pending_line,
                             "predict prompt is not followed by a ```lua cell");
                free(pending_predict);
                pending_predict = NULL;
            }
            continue;
        }
        if (info_is(b->info, "lua")) {
            if (strcmp(b->info, "lua") != 0)
                dl_diags_add(diags, path, b->line, "unknown cell kind ```%s (lessons use ```lua)",
                             b->info);
            dl_cell *c = &l->cells[l->ncells++];
            c->code = b->code;
            c->code_line = b->code_line;
            c->block = i;
            c->predict = pending_predict;
            c->predict_line = pending_line;
            pending_predict = NULL;
        } else if (info_is(b->info, "python")) {
            dl_cell *prev = l->ncells ? &l->cells[l->ncells - 1] : NULL;
            bool right_after = prev && prev->block + 1 == i;
            if (!right_after)
                dl_diags_add(diags, path, b->line,
                             "a ```python twin must directly follow a ```lua cell");
            else if (prev->twin)
                dl_diags_add(diags, path, b->line, "this ```lua cell already has a twin");
            else {
                prev->twin = b->code;
                prev->twin_line = b->code_line;
            }
        }
    }
    if (pending_predict) {
        dl_diags_add(diags, path, pending_line, "predict prompt is not followed by a ```lua cell");
        free(pending_predict);
    }
    if (l->ncells == 0) dl_diags_add(diags, path, 0, "a lesson needs at least one ```lua cell");
    if (diags->len != before) goto fail;
    return l;
fail:
    dl_lesson_free(l);
    return NULL;
}

dl_lesson *dl_lesson_load(const char *path, dl_diags *diags)
{
    dl_doc *doc = dl_doc_load(path, diags);
    return doc ? dl_lesson_from_doc(doc, diags) : NULL;
}

void dl_lesson_free(dl_lesson *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->ncells; i++)
        free(l->cells[i].predict);
    free(l->cells);
    dl_doc_free(l->doc);
    free(l);
}

void dl_lesson_check_requires(const dl_lesson *l, const char *const *ids, size_t n, dl_diags *diags)
{
    const dl_fm_entry *req = dl_fm_get(&l->doc->fm, "requires");
    for (size_t i = 0; i < l->nrequires; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = strcmp(l->requires[i], ids[j]) == 0;
        if (!found)
            dl_diags_add(diags, l->doc->path, req ? req->line : 1,
                         "requires `%s`, but there is no such lesson", l->requires[i]);
    }
}
