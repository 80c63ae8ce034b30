/* export.c - `deferlab export`: Chrome trace JSON, plain-text diagrams, Graphviz.
 *
 * Chrome JSON is built in src/trace (export_chrome.c, the only place with
 * jansson); this file parses the options, loads the trace, and does the two
 * text formats from the trace model:
 *
 *   text  every Deferred's two-track diagram at step N, laid out by
 *         tui/chain.c (curses-free) into a character grid, then printed;
 *         ASCII glyphs unless --utf8; --events adds the story of events 1..N
 *   dot   a Graphviz digraph: Deferreds as nodes, links as edges
 *
 * "Step N" counts events from 1 as the workbench does: step N is the state
 * after the N-th event, step 0 the state before any.
 */
#include "cli/export.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "trace/export_chrome.h"
#include "trace/reader.h"
#include "trace/story.h"
#include "tui/chain.h"
#include "tui/term.h"

static const char export_usage[] =
    "usage: deferlab export TRACE.jsonl [--format chrome|text|dot] [options]\n"
    "\n"
    "Turn a recorded trace into something to share.\n"
    "\n"
    "  --format text     every Deferred's two-track diagram at a step, as plain text\n"
    "                    (the default; for pasting into an issue or a chat)\n"
    "  --format chrome   Chrome trace event JSON: open it in https://ui.perfetto.dev\n"
    "                    or chrome://tracing; one track per Deferred\n"
    "  --format dot      Graphviz: Deferreds as nodes, waiting / hand-off /\n"
    "                    chainDeferred links as edges (dot -Tsvg OUT.dot)\n"
    "  --step N          the state after event N (1-based; 0 = before any event;\n"
    "                    default: the last event) for text and dot\n"
    "  -o, --output OUT  write to OUT instead of standard output\n"
    "  --utf8            text: draw with UTF-8 glyphs (default: ASCII only)\n"
    "  --events          text: also print the story of events 1..N\n"
    "  --width W         text: diagram width in columns (40-400, default 100)\n"
    "  --help            this text\n";

typedef enum { FMT_TEXT, FMT_CHROME, FMT_DOT } fmt;

typedef struct export_opts {
    const char *file, *out;
    fmt format;
    long long step; /* -1: the last */
    int width;
    bool utf8, events;
} export_opts;

/* ===================================================================== */
/* Characters                                                            */
/* ===================================================================== */

/* Length of the UTF-8 sequence starting with byte c (1 for junk). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* The next character of s as it will be printed: control characters become
 * a space; without utf8 every non-ASCII character becomes '?', except the
 * host's anonymous-function names (λ@12) which become fn@12, exactly as the
 * workbench's ASCII screen shows them. Writes the bytes to out (NUL
 * terminated), sets *width and returns the bytes consumed from s. */
static size_t next_char(const char *s, bool utf8, char out[16], int *width)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x20 || c == 0x7f) {
        strcpy(out, " ");
        *width = 1;
        return 1;
    }
    if (c < 0x80) {
        out[0] = (char)c;
        out[1] = '\0';
        *width = 1;
        return 1;
    }
    size_t len = seq_len(c);
    for (size_t k = 1; k < len; k++)
        if (!s[k]) len = k;
    if (!utf8) {
        if (len == 2 && c == 0xCE && (unsigned char)s[1] == 0xBB) {
            strcpy(out, "fn");
            *width = 2;
        } else {
            strcpy(out, "?");
            *width = 1;
        }
        return len;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, len, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        strcpy(out, "?");
        *width = 1;
        return 1;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    int w = wcwidth(wc);
    *width = w < 0 ? 1 : w;
    return n;
}

/* Print s with next_char's rules. */
static void put_text(FILE *out, const char *s, bool utf8)
{
    char ch[16];
    int w;
    while (*s) {
        s += next_char(s, utf8, ch, &w);
        fputs(ch, out);
    }
}

/* ===================================================================== */
/* A character grid for the chain layout                                 */
/* ===================================================================== */

typedef struct gcell {
    char s[16];   /* the character's bytes, "" for a blank */
    uint8_t cont; /* the right half of a double-width character */
} gcell;

typedef struct grid {
    gcell *cells;
    int w, rows, cap;
    bool utf8, oom;
} grid;

static gcell *at(grid *g, int line, int col)
{
    return &g->cells[(size_t)line * (size_t)g->w + (size_t)col];
}

static bool ensure_rows(grid *g, int rows)
{
    if (rows <= g->rows) return true;
    if (rows > g->cap) {
        int cap = g->cap ? g->cap : 16;
        while (cap < rows)
            cap *= 2;
        gcell *nc = realloc(g->cells, (size_t)cap * (size_t)g->w * sizeof *nc);
        if (!nc) return false;
        g->cells = nc;
        g->cap = cap;
    }
    memset(&g->cells[(size_t)g->rows * (size_t)g->w], 0,
           (size_t)(rows - g->rows) * (size_t)g->w * sizeof *g->cells);
    g->rows = rows;
    return true;
}

/* Put one character of display width cw at (line, col). */
static void put_cell(grid *g, int line, int col, const char *ch, int cw)
{
    gcell *c = at(g, line, col);
    if (c->cont && col > 0) *at(g, line, col - 1) = (gcell){{0}, 0}; /* split a wide char */
    if (col + 1 < g->w && at(g, line, col + 1)->cont) *at(g, line, col + 1) = (gcell){{0}, 0};
    snprintf(c->s, sizeof c->s, "%s", ch);
    c->cont = 0;
    if (cw == 2) {
        gcell *r = at(g, line, col + 1);
        if (col + 2 < g->w && at(g, line, col + 2)->cont) *at(g, line, col + 2) = (gcell){{0}, 0};
        r->s[0] = '\0';
        r->cont = 1;
    }
}

/* dl_emit_fn: write text into the grid, clipped at its right edge. */
static void grid_emit(void *ud, int line, int col, const char *text, dl_color color)
{
    (void)color;
    grid *g = ud;
    if (line < 0 || col < 0 || g->oom) return;
    if (!ensure_rows(g, line + 1)) {
        g->oom = true;
        return;
    }
    char ch[16];
    int cw;
    while (*text && col < g->w) {
        text += next_char(text, g->utf8, ch, &cw);
        if (cw == 0) { /* a combining mark joins the character before it */
            if (col > 0) {
                gcell *p = at(g, line, col - 1);
                if (strlen(p->s) + strlen(ch) < sizeof p->s) strcat(p->s, ch);
            }
            continue;
        }
        if (col + cw > g->w) break;
        if (strcmp(ch, "fn") == 0) { /* two narrow characters */
            put_cell(g, line, col++, "f", 1);
            put_cell(g, line, col++, "n", 1);
            continue;
        }
        put_cell(g, line, col, ch, cw);
        col += cw;
    }
}

/* Print the grid's rows, trailing blanks trimmed, then empty it. */
static void grid_flush(grid *g, FILE *out, const char *indent)
{
    for (int y = 0; y < g->rows; y++) {
        int last = -1;
        for (int x = 0; x < g->w; x++) {
            const gcell *c = at(g, y, x);
            if (c->cont || (c->s[0] && strcmp(c->s, " ") != 0)) last = x;
        }
        fputs(indent, out);
        for (int x = 0; x <= last; x++) {
            const gcell *c = at(g, y, x);
            if (c->cont) continue;
            fputs(c->s[0] ? c->s : " ", out);
        }
        fputc('\n', out);
    }
    g->rows = 0;
}

/* ===================================================================== */
/* text                                                                  */
/* ===================================================================== */

/* The Deferred the event at the cursor concerns, or 0. */
static uint32_t current_deferred(const dl_model *m)
{
    int64_t cur = dl_model_cursor(m);
    return cur < 0 ? 0 : dl_trace_rec_deferred(dl_model_event(m, (size_t)cur));
}

static void header_line(const dl_model *m, FILE *out, const char *what, bool utf8)
{
    const dl_trace *t = dl_model_trace(m);
    fprintf(out, "deferlab %s of ", what);
    put_text(out, t->header.source ? t->header.source : "a trace", utf8);
    fprintf(out, ": step %lld/%zu, t=%g\n", (long long)dl_model_cursor(m) + 1, dl_model_len(m),
            dl_model_time(m));
}

int dl_export_text(const dl_model *m, FILE *out, int w, bool utf8, bool events)
{
    grid g = {.w = w, .utf8 = utf8};
    dl_term_use_glyphs(utf8);
    header_line(m, out, "export", utf8);
    size_t nd = dl_model_deferred_count(m);
    uint32_t cur = current_deferred(m);
    if (nd == 0) fputs("\n(no Deferreds at this step)\n", out);
    for (size_t k = 0; k < nd && !g.oom; k++) {
        const dl_model_deferred *d = dl_model_deferred_at(m, k);
        fputc('\n', out);
        dl_chain_draw(m, d, w, d->id == cur, grid_emit, &g);
        grid_flush(&g, out, "");
    }
    size_t ns = dl_model_structure_count(m);
    for (size_t k = 0; k < ns && !g.oom; k++) {
        fputc('\n', out);
        dl_structure_draw(m, dl_model_structure_at(m, k), w, grid_emit, &g);
        grid_flush(&g, out, "");
    }
    if (events) {
        int64_t n = dl_model_cursor(m) + 1;
        fprintf(out, "\nevents 1-%lld:\n", (long long)n);
        char line[1024];
        for (int64_t i = 0; i < n; i++) {
            dl_story(m, (size_t)i, line, sizeof line);
            fprintf(out, "%6lld  ", (long long)i + 1);
            put_text(out, line, utf8);
            fputc('\n', out);
        }
    }
    free(g.cells);
    if (g.oom) return -1;
    return ferror(out) ? -1 : 0;
}

/* ===================================================================== */
/* dot                                                                   */
/* ===================================================================== */

/* s inside a DOT double-quoted string, cut to max characters. */
static void dot_str(FILE *out, const char *s, size_t max)
{
    size_t n = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) != 0x80 && ++n > max) {
            fputs("...", out);
            return;
        }
        if (c == '"' || c == '\\') fputc('\\', out);
        fputc(c < 0x20 || c == 0x7f ? ' ' : (char)c, out);
    }
}

static const char *state_word(const dl_model_deferred *d)
{
    switch (d->state) {
    case DL_MD_UNFIRED:
        return "unfired";
    case DL_MD_SUCCESS:
        return "success";
    case DL_MD_FAILURE:
        return "failure";
    default:
        return "waiting";
    }
}

static void dot_edge(FILE *out, uint32_t from, uint32_t to, const char *label, const char *style)
{
    fprintf(out, "  d%u -> d%u [label=\"", (unsigned)from, (unsigned)to);
    dot_str(out, label, 80);
    fprintf(out, "\", %s];\n", style);
}

int dl_export_dot(const dl_model *m, FILE *out)
{
    const dl_trace *t = dl_model_trace(m);
    char name[256], text[512];
    fputs("digraph deferlab {\n  /* ", out);
    snprintf(text, sizeof text, "%s: step %lld/%zu", t->header.source ? t->header.source : "trace",
             (long long)dl_model_cursor(m) + 1, dl_model_len(m));
    for (char *p = text; *p; p++)
        if (*p == '*' && p[1] == '/') *p = '+';
    fputs(text, out);
    fputs(" */\n  rankdir=LR;\n"
          "  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\"];\n"
          "  edge [fontname=\"monospace\", fontsize=10];\n",
          out);
    size_t nd = dl_model_deferred_count(m);
    for (size_t k = 0; k < nd; k++) {
        const dl_model_deferred *d = dl_model_deferred_at(m, k);
        dl_model_deferred_name(d, name, sizeof name);
        static const char *const fill[] = {"gray90", "palegreen", "lightpink", "khaki"};
        fprintf(out, "  d%u [label=\"", (unsigned)d->id);
        dot_str(out, name, 60);
        if (d->label) fprintf(out, " (d#%u)", (unsigned)d->id);
        fputs("\\n", out);
        dot_str(out, d->cls ? d->cls : "Deferred", 40);
        fprintf(out, "\\n%s", state_word(d));
        if (d->result && d->state != DL_MD_UNFIRED && d->state != DL_MD_WAITING) {
            fputs(": ", out);
            dot_str(out, d->result, 60);
        }
        if (d->paused) fprintf(out, "\\npaused %d", (int)d->paused);
        if (d->cancelled) fputs("\\ncancelled", out);
        if (d->unhandled) {
            fputs("\\nUNHANDLED ", out);
            dot_str(out, d->unhandled_repr ? d->unhandled_repr : "", 60);
        }
        fprintf(out, "\", fillcolor=%s];\n", fill[d->state <= DL_MD_WAITING ? d->state : 0]);
    }
    for (size_t k = 0; k < nd; k++) {
        const dl_model_deferred *d = dl_model_deferred_at(m, k);
        if (d->state == DL_MD_WAITING && d->waiting_on)
            dot_edge(out, d->id, d->waiting_on, "waits on", "style=dashed, color=orange3");
        for (size_t p = 0; p < dl_model_pair_count(d); p++) {
            const dl_model_pair *pr = dl_model_pair_at(d, p);
            if (!pr->cont) continue;
            bool done = pr->status != DL_MP_PENDING;
            snprintf(text, sizeof text, "#%u continuation: %s", (unsigned)pr->index,
                     done ? "result handed" : "will hand result");
            dot_edge(out, d->id, pr->cont, text, done ? "color=blue" : "style=dotted, color=blue");
        }
        for (size_t c = 0; c < dl_model_chained_count(d); c++)
            dot_edge(out, d->id, dl_model_chained_at(d, c), "chainDeferred", "color=purple");
    }
    /* Steals leave no trace in the state: take them from the log. */
    for (int64_t i = 0; i <= dl_model_cursor(m); i++) {
        const dl_trace_rec *r = dl_model_event(m, (size_t)i);
        if (r->kind != DL_EV_STOLEN || !r->other) continue;
        snprintf(text, sizeof text, "result taken (step %lld)", (long long)i + 1);
        dot_edge(out, r->other, r->d, text, "color=darkgreen");
    }
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}

/* ===================================================================== */
/* The command                                                           */
/* ===================================================================== */

static bool parse_ll(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    if (!s || !*s) return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* "--name VALUE" or "--name=VALUE": the value, advancing *i; NULL if not this option. */
static const char *opt(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static int parse(int argc, char **argv, export_opts *o)
{
    o->step = -1;
    o->width = 100;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        long long n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(export_usage, stdout);
            return 1;
        } else if ((v = opt(argc, argv, &i, "--format", &missing))) {
            if (strcmp(v, "text") == 0)
                o->format = FMT_TEXT;
            else if (strcmp(v, "chrome") == 0)
                o->format = FMT_CHROME;
            else if (strcmp(v, "dot") == 0)
                o->format = FMT_DOT;
            else {
                fprintf(stderr, "deferlab export: unknown format '%s' (chrome, text or dot)\n", v);
                return -1;
            }
        } else if ((v = opt(argc, argv, &i, "--step", &missing))) {
            if (!parse_ll(v, 0, LLONG_MAX / 2, &n)) {
                fprintf(stderr, "deferlab export: --step wants a number >= 0, not '%s'\n", v);
                return -1;
            }
            o->step = n;
        } else if ((v = opt(argc, argv, &i, "--width", &missing))) {
            if (!parse_ll(v, 40, 400, &n)) {
                fprintf(stderr, "deferlab export: --width wants 40 to 400, not '%s'\n", v);
                return -1;
            }
            o->width = (int)n;
        } else if ((v = opt(argc, argv, &i, "--output", &missing)) ||
                   (v = opt(argc, argv, &i, "-o", &missing))) {
            o->out = v;
        } else if (missing) {
            fprintf(stderr, "deferlab export: %s needs a value\n%s", a, export_usage);
            return -1;
        } else if (strcmp(a, "--utf8") == 0) {
            o->utf8 = true;
        } else if (strcmp(a, "--events") == 0) {
            o->events = true;
        } else if ((a[0] == '-' && a[1] != '\0') || o->file) {
            fprintf(stderr, "deferlab export: bad argument '%s'\n%s", a, export_usage);
            return -1;
        } else {
            o->file = a;
        }
    }
    if (!o->file) {
        fprintf(stderr, "deferlab export: which trace file?\n%s", export_usage);
        return -1;
    }
    if (o->format == FMT_CHROME && (o->step >= 0 || o->utf8 || o->events)) {
        fprintf(stderr, "deferlab export: --step, --utf8 and --events are for text and dot; "
                        "a Chrome trace holds every step\n");
        return -1;
    }
    if (o->format == FMT_DOT && (o->utf8 || o->events)) {
        fprintf(stderr, "deferlab export: --utf8 and --events are for --format text\n");
        return -1;
    }
    return 0;
}

/* UTF-8 glyphs need a UTF-8 locale for character widths. */
static void utf8_locale(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8"))
        setlocale(LC_CTYPE, "");
}

int dl_cli_export(int argc, char **argv)
{
    export_opts o = {0};
    int p = parse(argc, argv, &o);
    if (p != 0) return p > 0 ? 0 : 2;

    int status = 1;
    dl_trace *t = NULL;
    dl_model *m = NULL;
    FILE *out = stdout;
    char err[1024];
    int rc = strcmp(o.file, "-") == 0 ? dl_trace_load_stream(stdin, "<stdin>", &t, err, sizeof err)
                                      : dl_trace_load(o.file, &t, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "deferlab export: %s\n", err);
        return 1;
    }
    for (size_t k = 0; k < t->nwarnings; k++)
        fprintf(stderr, "deferlab export: %s\n", t->warnings[k]);

    if (o.step > (long long)t->len) {
        fprintf(stderr, "deferlab export: --step %lld is past the end: %s has %zu events\n", o.step,
                o.file, t->len);
        status = 2;
        goto done;
    }
    if (o.out && strcmp(o.out, "-") != 0) {
        out = fopen(o.out, "w");
        if (!out) {
            fprintf(stderr, "deferlab export: cannot write %s: %s\n", o.out, strerror(errno));
            out = stdout;
            goto done;
        }
    }
    if (o.format == FMT_CHROME) {
        rc = dl_export_chrome(t, out, NULL);
        if (rc != 0) {
            fprintf(stderr, "deferlab export: %s\n", dl_trace_strerror(rc));
            goto done;
        }
    } else {
        m = dl_model_new_from_trace(t);
        t = NULL; /* the model owns it */
        int64_t step = o.step < 0 ? (int64_t)dl_model_len(m) : (int64_t)o.step;
        if (!m || dl_model_seek(m, step - 1) != 0) {
            fprintf(stderr, "deferlab export: out of memory\n");
            goto done;
        }
        if (o.format == FMT_TEXT && o.utf8) utf8_locale();
        rc = o.format == FMT_TEXT ? dl_export_text(m, out, o.width, o.utf8, o.events)
                                  : dl_export_dot(m, out);
        if (rc != 0) {
            fprintf(stderr, "deferlab export: cannot write the output\n");
            goto done;
        }
    }
    status = 0;
done:
    if (out != stdout) {
        if (fclose(out) != 0 && status == 0) {
            fprintf(stderr, "deferlab export: error writing %s\n", o.out);
            status = 1;
        }
    } else if (fflush(stdout) != 0 && status == 0) {
        status = 1;
    }
    dl_model_free(m);
    dl_trace_free(t);
    return status;
}
