/* challenge.c - challenges from Markdown docs, with every problem named by line. */
#include "lesson/challenge.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"implement", "predict", "fix"};

const char *dl_chal_kind_name(dl_chal_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "?";
}

/* Does info name word as its first word? Sets *rest to what follows. */
static bool first_word(const char *info, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if (strncmp(info, word, n) != 0 || (info[n] != '\0' && info[n] != ' ' && info[n] != '\t'))
        return false;
    const char *p = info + n;
    while (*p == ' ' || *p == '\t')
        p++;
    *rest = p;
    return true;
}

/* The quoted name of a check fence ("name" after `lua check`), new string;
 * NULL with a diagnostic when it is missing or badly quoted. */
static char *check_name(const dl_doc *doc, const dl_block *b, const char *rest, dl_diags *diags)
{
    if (*rest != '"') {
        dl_diags_add(diags, doc->path, b->line,
                     "a check needs a quoted name: ```lua check \"what it checks\"");
        return NULL;
    }
    const char *end = strchr(rest + 1, '"');
    if (!end) {
        dl_diags_add(diags, doc->path, b->line, "the check's name is not closed with \"");
        return NULL;
    }
    const char *after = end + 1;
    while (*after == ' ' || *after == '\t')
        after++;
    if (*after) {
        dl_diags_add(diags, doc->path, b->line, "unexpected `%s` after the check's name", after);
        return NULL;
    }
    if (end == rest + 1) {
        dl_diags_add(diags, doc->path, b->line, "the check's name is empty");
        return NULL;
    }
    size_t n = (size_t)(end - rest - 1);
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, rest + 1, n);
    s[n] = '\0';
    return s;
}

static bool is_seeded(const char *code)
{
    return strstr(code, "random_ops") || strstr(code, "same_behaviour") ||
           strstr(code, "scenario_seed");
}

static void read_front_matter(dl_challenge *c, dl_diags *diags)
{
    dl_doc *doc = c->doc;
    const char *path = doc->path;
    if (!doc->fm.end_line)
        dl_diags_add(diags, path, 1, "a challenge starts with front matter (---)");
    c->id = dl_fm_scalar(doc, "id", diags);
    c->title = dl_fm_scalar(doc, "title", diags);
    c->lesson = dl_fm_scalar(doc, "lesson", diags);
    const dl_fm_entry *le = dl_fm_get(&doc->fm, "lesson");
    c->lesson_line = le ? le->line : 1;
    if (c->id) {
        char base[256];
        dl_path_stem(path, base, sizeof base);
        if (strcmp(base, c->id) != 0)
            dl_diags_add(diags, path, dl_fm_get(&doc->fm, "id")->line,
                         "id `%s` does not match the file name `%s`", c->id, base);
    }
    const char *diff = dl_fm_scalar(doc, "difficulty", diags);
    if (diff) {
        char *end;
        long v = strtol(diff, &end, 10);
        if (*end || v < 1 || v > 5)
            dl_diags_add(diags, path, dl_fm_get(&doc->fm, "difficulty")->line,
                         "difficulty must be a number from 1 to 5, not `%s`", diff);
        c->difficulty = (int)v;
    }
    const char *kind = dl_fm_scalar(doc, "kind", diags);
    if (kind) {
        size_t k = 0;
        while (k < 3 && strcmp(kind, kind_names[k]) != 0)
            k++;
        if (k == 3)
            dl_diags_add(diags, path, dl_fm_get(&doc->fm, "kind")->line,
                         "unknown kind `%s` (implement, predict or fix)", kind);
        else
            c->kind = (dl_chal_kind)k;
    }
    const dl_fm_entry *h = dl_fm_get(&doc->fm, "hints");
    c->hints_line = h ? h->line : 1;
    if (!h || !h->is_list || h->nitems == 0) {
        dl_diags_add(diags, path, c->hints_line,
                     "front matter needs `hints:` with at least one `- hint` line");
    } else {
        c->hints = h->items;
        c->nhints = h->nitems;
        for (size_t i = 0; i < h->nitems; i++)
            if (!h->items[i][0]) dl_diags_add(diags, path, h->line, "hint %zu is empty", i + 1);
    }
}

/* Sort one ```lua block into starter / check / program. */
static int read_lua_block(dl_challenge *c, const dl_block *b, const char *rest, dl_diags *diags)
{
    const char *path = c->doc->path;
    const char *arg;
    if (!*rest) return 0; /* plain ```lua: an illustration in the prose */
    if (first_word(rest, "starter", &arg)) {
        if (*arg) dl_diags_add(diags, path, b->line, "unexpected `%s` after ```lua starter", arg);
        if (c->starter)
            dl_diags_add(diags, path, b->line,
                         "a second ```lua starter block (the first is at line %d)",
                         c->starter_line - 1);
        else {
            c->starter = b->code;
            c->starter_line = b->code_line;
        }
    } else if (first_word(rest, "program", &arg)) {
        if (*arg) dl_diags_add(diags, path, b->line, "unexpected `%s` after ```lua program", arg);
        if (c->program)
            dl_diags_add(diags, path, b->line,
                         "a second ```lua program block (the first is at line %d)",
                         c->program_line - 1);
        else {
            c->program = b->code;
            c->program_line = b->code_line;
        }
    } else if (first_word(rest, "check", &arg)) {
        char *name = check_name(c->doc, b, arg, diags);
        if (!name) return 0;
        const dl_chal_check *dup = dl_challenge_find_check(c, name);
        if (dup) {
            dl_diags_add(diags, path, b->line,
                         "a second check named \"%s\" (the first is at line %d)", name, dup->line);
            free(name);
            return 0;
        }
        dl_chal_check *k = &c->checks[c->nchecks++];
        k->name = name;
        k->code = b->code;
        k->line = b->line;
        k->code_line = b->code_line;
        k->seeded = is_seeded(b->code);
    } else {
        dl_diags_add(diags, path, b->line,
                     "unknown block ```lua %s (use ```lua starter, ```lua check \"name\", "
                     "```lua program or a plain ```lua)",
                     rest);
    }
    return 0;
}

static bool is_explanation_heading(const dl_block *b)
{
    if (b->kind != DL_BLOCK_HEADING || b->level != 2) return false;
    char *t = dl_block_text(b);
    bool yes = t && strcmp(t, "Explanation") == 0;
    free(t);
    return yes;
}

dl_challenge *dl_challenge_from_doc(dl_doc *doc, dl_diags *diags)
{
    size_t before = diags->len;
    dl_challenge *c = calloc(1, sizeof *c);
    if (!c) {
        dl_doc_free(doc);
        return NULL;
    }
    c->doc = doc;
    const char *path = doc->path;
    dl_doc_check_fences(doc, diags);
    read_front_matter(c, diags);
    c->checks = calloc(doc->nblocks ? doc->nblocks : 1, sizeof *c->checks);
    if (!c->checks) goto fail;
    c->task_end = doc->nblocks;
    c->explain_first = doc->nblocks;
    bool explain_seen = false;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const dl_block *b = &doc->blocks[i];
        if (is_explanation_heading(b)) {
            if (explain_seen)
                dl_diags_add(diags, path, b->line, "a second `## Explanation` heading");
            explain_seen = true;
            c->explain_first = i + 1;
            if (c->task_end > i) c->task_end = i;
            continue;
        }
        if (b->kind != DL_BLOCK_CODE) continue;
        const char *rest;
        if (first_word(b->info, "lua", &rest)) {
            /* Prose stops at the first block the checker runs. */
            if (*rest && c->task_end > i) c->task_end = i;
            if (!b->closed)
                dl_diags_add(diags, path, b->line, "code fence opened here is never closed");
            if (*rest && explain_seen)
                dl_diags_add(diags, path, b->line,
                             "```lua %s inside the explanation (put it before "
                             "`## Explanation`)",
                             rest);
            else
                read_lua_block(c, b, rest, diags);
        }
    }
    if (!c->starter)
        dl_diags_add(diags, path, 1, "no ```lua starter block (what the learner starts from)");
    if (c->kind == DL_CHAL_PREDICT) {
        if (!c->program)
            dl_diags_add(diags, path, dl_fm_get(&doc->fm, "kind")->line,
                         "a predict challenge needs a ```lua program block (what the "
                         "learner predicts the output of)");
        if (c->starter && !strstr(c->starter, "answer"))
            dl_diags_add(diags, path, c->starter_line - 1,
                         "a predict starter sets `answer = [[ ]]` for the learner to fill in");
    } else {
        if (c->program)
            dl_diags_add(diags, path, c->program_line - 1,
                         "```lua program is only for kind: predict");
        if (c->nchecks == 0)
            dl_diags_add(diags, path, 1,
                         "no ```lua check \"name\" blocks: nothing would be checked");
    }
    if (!explain_seen)
        dl_diags_add(diags, path, 1, "no `## Explanation` section (shown after a pass)");
    if (diags->len != before) goto fail;
    return c;
fail:
    dl_challenge_free(c);
    return NULL;
}

dl_challenge *dl_challenge_load(const char *path, dl_diags *diags)
{
    dl_doc *doc = dl_doc_load(path, diags);
    return doc ? dl_challenge_from_doc(doc, diags) : NULL;
}

const dl_chal_check *dl_challenge_find_check(const dl_challenge *c, const char *name)
{
    for (size_t i = 0; i < c->nchecks; i++)
        if (strcmp(c->checks[i].name, name) == 0) return &c->checks[i];
    return NULL;
}

void dl_challenge_free(dl_challenge *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nchecks; i++)
        free(c->checks[i].name);
    free(c->checks);
    dl_doc_free(c->doc);
    free(c);
}
