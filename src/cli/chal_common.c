/* chal_common.c - what the challenge subcommands share: finding files,
 * working copies, progress, and printing a check report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/challenges.h"
#include "lesson/work.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *dl__cli_root(const char *dir)
{
    static char buf[PATH_MAX];
    if (!dir && (is_dir("challenges") || is_dir("lessons"))) return "";
#ifdef DL_DATADIR
    if (!dir) dir = DL_DATADIR;
#endif
    if (!dir || !dir[0]) return "";
    size_t n = strlen(dir);
    snprintf(buf, sizeof buf, "%s%s", dir, dir[n - 1] == '/' ? "" : "/");
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int dl__cli_find_challenge(const char *root, const char *arg, char *path, size_t n)
{
    struct stat st;
    if (strchr(arg, '/') || ends_with(arg, ".md")) {
        if (stat(arg, &st) != 0) {
            fprintf(stderr, "deferlab: %s: %s\n", arg, strerror(errno));
            return -1;
        }
        snprintf(path, n, "%s", arg);
        return 0;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%schallenges", root);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "deferlab: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    size_t arglen = strlen(arg), found = 0;
    char first[NAME_MAX + 1] = "", others[512] = "";
    bool exact = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (name[0] == '.' || !ends_with(name, ".md") || strncmp(name, arg, arglen) != 0) continue;
        if (len == arglen + 3) { /* the exact id wins over longer ids it prefixes */
            snprintf(first, sizeof first, "%s", name);
            exact = true;
            found = 1;
            break;
        }
        if (found++ == 0)
            snprintf(first, sizeof first, "%s", name);
        else {
            size_t used = strlen(others);
            snprintf(others + used, sizeof others - used, "%s%s", used ? ", " : "", name);
        }
    }
    closedir(d);
    if (found == 0) {
        fprintf(stderr, "deferlab: no challenge matches `%s` in %s (try `deferlab list`)\n", arg,
                dir);
        return -1;
    }
    if (found > 1 && !exact) {
        fprintf(stderr, "deferlab: `%s` matches several challenges: %s, %s\n", arg, first, others);
        return -1;
    }
    snprintf(path, n, "%s/%s", dir, first);
    return 0;
}

dl_challenge *dl__cli_load_challenge(const char *root, const char *arg)
{
    char path[PATH_MAX];
    if (dl__cli_find_challenge(root, arg, path, sizeof path) != 0) return NULL;
    dl_diags diags = {0};
    dl_challenge *c = dl_challenge_load(path, &diags);
    for (size_t i = 0; i < diags.len; i++)
        fprintf(stderr, "%s\n", diags.msgs[i]);
    if (!c && diags.len == 0) fprintf(stderr, "%s: out of memory\n", path);
    dl_diags_free(&diags);
    return c;
}

int dl__cli_ensure_work(const dl_challenge *c, const char *path)
{
    char err[PATH_MAX + 128];
    int rc = dl_work_ensure(c, path, err, sizeof err);
    if (rc < 0) fprintf(stderr, "deferlab: %s\n", err);
    return rc;
}

int dl__cli_progress_load(dl_progress *p)
{
    char path[PATH_MAX], msg[1024];
    if (dl_progress_default_path(path, sizeof path) != 0) {
        fprintf(stderr,
                "deferlab: neither XDG_STATE_HOME nor HOME is set: nowhere to keep progress\n");
        memset(p, 0, sizeof *p);
        return -1;
    }
    int rc = dl_progress_load(p, path, msg, sizeof msg);
    if (rc == 1) fprintf(stderr, "deferlab: %s\n", msg);
    if (rc < 0) {
        fprintf(stderr, "deferlab: %s\n", msg);
        dl_progress_free(p);
        return -1;
    }
    return 0;
}

int dl__cli_progress_save(const dl_progress *p)
{
    char msg[1024];
    if (dl_progress_save(p, msg, sizeof msg) == 0) return 0;
    fprintf(stderr, "deferlab: %s\n", msg);
    return -1;
}

const char *dl__cli_mark(bool ok)
{
    static int utf8 = -1;
    if (utf8 < 0) {
        setlocale(LC_CTYPE, "");
        const char *cs = nl_langinfo(CODESET);
        utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    }
    if (utf8) return ok ? "\u2713" : "\u2717";
    return ok ? "+" : "x";
}

void dl__cli_print_blocks(FILE *out, const dl_doc *doc, size_t first, size_t end)
{
    for (size_t i = first; i < end && i < doc->nblocks; i++) {
        const dl_block *b = &doc->blocks[i];
        if (b->kind == DL_BLOCK_CODE) {
            const char *p = b->code;
            while (*p) {
                const char *nl = strchr(p, '\n');
                int len = nl ? (int)(nl - p) : (int)strlen(p);
                fprintf(out, "      %.*s\n", len, p);
                p = nl ? nl + 1 : p + len;
            }
            fputc('\n', out);
            continue;
        }
        if (b->kind == DL_BLOCK_RULE) {
            fputs("  ----\n", out);
            continue;
        }
        char *t = dl_block_text(b);
        if (!t) continue;
        if (b->kind == DL_BLOCK_ITEM)
            fprintf(out, "  %*s%s %s\n", 2 * (b->level - 1), "", b->bullet, t);
        else if (b->kind == DL_BLOCK_QUOTE)
            fprintf(out, "  | %s\n\n", t);
        else
            fprintf(out, "  %s\n\n", t);
        free(t);
    }
}

static void print_indented(FILE *out, const char *text, const char *prefix)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(out, "%s%.*s\n", prefix, len, p);
        p = nl ? nl + 1 : p + len;
    }
}

int dl__cli_print_report(FILE *out, const dl_challenge *c, const char *solution,
                         const dl_check_report *r)
{
    fprintf(out, "%s: %s  (%s, difficulty %d)\nchecking %s\n\n", c->id, c->title,
            dl_chal_kind_name(c->kind), c->difficulty, solution);
    for (size_t i = 0; i < r->nresults; i++) {
        const dl_check_result *k = &r->results[i];
        fprintf(out, "  %s %s", dl__cli_mark(k->passed), k->name);
        if (k->seeded && k->passed) fprintf(out, "  (%d seed%s)", k->runs, k->runs == 1 ? "" : "s");
        fputc('\n', out);
    }
    fputc('\n', out);
    const dl_check_result *f = dl_check_first_failure(r);
    if (f) {
        print_indented(out, f->message, "");
        if (f->seeded)
            fprintf(out, "\nreplay this scenario: deferlab check %s --seed %lu\n", c->id,
                    (unsigned long)f->seed);
        if (f->output && f->output[0]) {
            fprintf(out, "\nwhat your code printed during `%s`:\n", f->name);
            print_indented(out, f->output, "  | ");
        }
        fprintf(out, "\n%zu of %zu checks pass. Stuck? `deferlab hint %s`\n", r->npassed,
                r->nresults, c->id);
        return 1;
    }
    fprintf(out, "All %zu checks pass.\n\n", r->nresults);
    if (c->explain_first < c->doc->nblocks) {
        fputs("Explanation\n\n", out);
        dl__cli_print_blocks(out, c->doc, c->explain_first, c->doc->nblocks);
    }
    char sol[PATH_MAX];
    dl_work_solution_path(c, sol, sizeof sol);
    fprintf(out, "Compare with the reference solution: %s\n", sol);
    return 0;
}

bool dl__cli_confirm(const char *question)
{
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return false;
    return strcmp(line, "y\n") == 0 || strcmp(line, "Y\n") == 0 || strcmp(line, "yes\n") == 0;
}

bool dl__cli_parse_seed(const char *s, uint32_t *out)
{
    if (!s || !*s || *s == '-') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > 0xffffffffull) return false;
    *out = (uint32_t)v;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of dir ending in suffix (new array of new strings; *n = count).
 * A missing folder is empty. NULL only on OOM. */
char **dl__cli_files(const char *dir, const char *suffix, size_t *n)
{
    *n = 0;
    char **v = malloc(sizeof *v);
    if (!v) return NULL;
    DIR *d = opendir(dir);
    if (!d) return v;
    struct dirent *e;
    size_t cap = 1;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        size_t sl = strlen(suffix);
        if (e->d_name[0] == '.' || len <= sl || strcmp(e->d_name + len - sl, suffix) != 0) continue;
        if (*n == cap) {
            char **t = realloc(v, 2 * cap * sizeof *v);
            if (!t) break;
            v = t;
            cap *= 2;
        }
        v[*n] = strdup(e->d_name);
        if (v[*n]) (*n)++;
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

void dl__cli_free_files(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
