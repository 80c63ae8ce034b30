/* play.c - run a lesson into a trace model. */
#include "lesson/play.h"

#include <stdlib.h>
#include <string.h>

/* Cell code padded with newlines so Lua's line numbers are the .md's. */
static char *padded_code(const dl_cell *c, size_t *len)
{
    size_t pad = c->code_line > 1 ? (size_t)c->code_line - 1 : 0;
    size_t n = strlen(c->code);
    char *s = malloc(pad + n + 1);
    if (!s) return NULL;
    memset(s, '\n', pad);
    memcpy(s + pad, c->code, n + 1);
    *len = pad + n;
    return s;
}

int dl_play_lesson(const dl_lesson *l, const dl_script_opts *opts, dl_play *out)
{
    memset(out, 0, sizeof *out);
    out->failed_cell = -1;
    out->ncells = l->ncells;
    out->model = dl_model_new();
    out->cell_start = calloc(l->ncells ? l->ncells : 1, sizeof *out->cell_start);
    out->cell_end = calloc(l->ncells ? l->ncells : 1, sizeof *out->cell_end);
    dl_script_opts defaults;
    if (!opts) {
        dl_script_opts_default(&defaults);
        opts = &defaults;
    }
    dl_script *S = out->model && out->cell_start && out->cell_end ? dl_script_new(opts) : NULL;
    if (!S) {
        dl_play_free(out);
        return DL_ENOMEM;
    }
    dl_engine *eng = dl_script_engine(S);
    dl_engine_observe(eng, dl_model_observe, out->model);
    const char *path = l->doc->path;
    int rc = 0;
    for (size_t i = 0; i < l->ncells; i++) {
        const dl_cell *c = &l->cells[i];
        out->cell_start[i] = (int64_t)dl_model_len(out->model);
        dl_event ev = {
            .kind = DL_EV_CELL, .count = (int64_t)i + 1, .file = path, .line = c->code_line};
        dl_engine_emit(eng, &ev);
        size_t len;
        char *code = padded_code(c, &len);
        if (!code) {
            rc = DL_ENOMEM;
            break;
        }
        int r = dl_script_run(S, path, code, len);
        free(code);
        out->cell_end[i] = (int64_t)dl_model_len(out->model);
        if (r != 0) {
            out->failed_cell = (int)i;
            snprintf(out->error, sizeof out->error, "%s", dl_script_error(S));
            for (size_t k = i + 1; k < l->ncells; k++)
                out->cell_start[k] = out->cell_end[k] = (int64_t)dl_model_len(out->model);
            rc = -1;
            break;
        }
    }
    /* Closing the sandbox releases the last references: unhandled failures
     * are reported now, as part of the last cell. */
    if (dl_script_finish(S) != 0 && rc == 0) {
        snprintf(out->error, sizeof out->error, "%s", dl_script_error(S));
        out->failed_cell = l->ncells ? (int)l->ncells - 1 : -1;
        rc = -1;
    }
    dl_script_free(S);
    if (l->ncells && rc == 0) out->cell_end[l->ncells - 1] = (int64_t)dl_model_len(out->model);
    if (dl_model_error(out->model) && rc == 0) rc = dl_model_error(out->model);
    return rc;
}

int dl_play_cell_of(const dl_play *p, int64_t i)
{
    int cell = -1;
    for (size_t k = 0; k < p->ncells; k++)
        if (p->cell_start[k] <= i && p->cell_end[k] > p->cell_start[k]) cell = (int)k;
    return cell;
}

char *dl_play_cell_output(const dl_play *p, size_t k)
{
    size_t cap = 256, len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    s[0] = '\0';
    if (k >= p->ncells) return s;
    for (int64_t i = p->cell_start[k]; i < p->cell_end[k]; i++) {
        const dl_trace_rec *r = dl_model_event(p->model, (size_t)i);
        if (r->kind != DL_EV_OUTPUT || !r->text) continue;
        size_t n = strlen(r->text);
        while (len + n + 2 > cap) {
            cap *= 2;
            char *t = realloc(s, cap);
            if (!t) {
                free(s);
                return NULL;
            }
            s = t;
        }
        if (len) s[len++] = '\n';
        memcpy(s + len, r->text, n + 1);
        len += n;
    }
    return s;
}

void dl_play_free(dl_play *p)
{
    dl_model_free(p->model);
    free(p->cell_start);
    free(p->cell_end);
    p->model = NULL;
    p->cell_start = p->cell_end = NULL;
}

/* Next non-blank line of s (trimmed) into [*b, *e); returns false at the end. */
static bool next_line(const char **s, const char **b, const char **e)
{
    for (;;) {
        const char *p = *s;
        if (!*p) return false;
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        *s = nl ? nl + 1 : end;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            end--;
        if (p < end) {
            *b = p;
            *e = end;
            return true;
        }
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Equal up to runs of blanks: print() separates values with tabs, which a
 * learner types as spaces. */
static bool same_words(const char *a, const char *ae, const char *b, const char *be)
{
    while (a < ae && b < be) {
        if (is_blank(*a) && is_blank(*b)) {
            while (a < ae && is_blank(*a))
                a++;
            while (b < be && is_blank(*b))
                b++;
            continue;
        }
        if (*a++ != *b++) return false;
    }
    return a == ae && b == be;
}

int dl_predict_matches(const char *guess, const char *actual)
{
    const char *g = guess, *a = actual, *gb, *ge, *ab, *ae;
    for (;;) {
        bool hg = next_line(&g, &gb, &ge), ha = next_line(&a, &ab, &ae);
        if (!hg || !ha) return hg == ha;
        if (!same_words(gb, ge, ab, ae)) return 0;
    }
}
