/* app.c - the workbench: screens, panes, input, painting.
 *
 * Input handlers never paint: they change state and set `dirty`. The loop's
 * "after" hook paints once per turn when dirty (see loop.h).
 */
#include <curses.h>
#include <dirent.h>
#include <locale.h>
#include <wchar.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lesson/check.h"
#include "lesson/play.h"
#include "lesson/progress.h"
#include "lesson/work.h"
#include "loop/loop.h"
#include "loop/watch.h"
#include "trace/reader.h"
#include "trace/story.h"
#include "tui/actions.h"
#include "tui/chain.h"
#include "tui/draw.h"
#include "tui/tui.h"

#define MIN_ROWS 24
#define MIN_COLS 80

typedef enum { SCREEN_HOME, SCREEN_RUN, SCREEN_CHALLENGE } screen_kind;
typedef enum { RUN_LESSON, RUN_REPLAY, RUN_REPL } run_kind;
typedef enum { PANE_PROSE, PANE_CODE, PANE_CHAINS, PANE_EVENTS, PANE_OUTPUT, PANE__COUNT } pane;
typedef enum {
    PROMPT_NONE,
    PROMPT_GOTO,
    PROMPT_PREDICT,
    PROMPT_FILTER,
    PROMPT_REPL,
    PROMPT_WRITE
} prompt_kind;

static const char *const pane_names[PANE__COUNT] = {"Lesson", "Code", "Chains", "Events", "Output"};

typedef struct lesson_entry {
    char *path, *id, *title, *error;
    int level;        /* lesson level, or challenge difficulty */
    const char *kind; /* challenges: "implement" ... (static) */
    char *lesson;     /* challenges: the lesson it follows */
} lesson_entry;

typedef struct app {
    dl_tui_opts opts;
    dl_loop *loop;
    int rows, cols;
    bool dirty, done;
    int exit_status;
    screen_kind screen;
    bool help;
    int help_scroll;
    char status[512];

    /* home */
    lesson_entry *lessons;
    size_t nlessons;
    lesson_entry *challenges;
    size_t nchallenges;
    bool home_challenges; /* the list shows challenges instead of lessons */
    int sel, home_top;
    char filter[64];
    dl_progress progress;
    bool have_progress;

    /* a run: lesson, replay or REPL */
    run_kind kind;
    char path[1024];
    dl_lesson *lesson;
    dl_play play;
    dl_model *model; /* play.model, or owned for replay / REPL */
    int64_t cursor;
    pane focus;
    int scroll[PANE__COUNT];
    bool follow[PANE__COUNT];
    bool pane_visible[PANE__COUNT];
    dl_rect pane_rect[PANE__COUNT];
    bool twin;
    bool autoplay;
    int speed_ms;
    dl_semantics semantics;
    const char *src_path; /* replay: the source file read into src_text (borrowed) */
    char *src_text;
    bool side_by_side; /* chains pane split: this run | the other semantics' run */
    dl_play other;     /* the lesson under the other chainDeferred semantics */
    char **guesses;    /* per cell: the learner's prediction, or NULL */

    /* one-line prompt */
    prompt_kind prompt;
    char input[512];
    size_t input_len;

    /* a challenge */
    dl_challenge *chal;
    char work[1024];
    dl_check_report report;
    bool have_report;
    dl_watch *watch;
    char watch_msg[256];
    size_t hints_shown;
    int reveal; /* 0 hidden, 1 asking to confirm, 2 shown */
    char *solution;
    int chal_scroll;
    bool model_borrowed; /* a->model belongs to the check report (viewing a failing run) */

    /* REPL */
    dl_script *repl;
    char **transcript;
    size_t ntranscript;
    char **history;
    size_t nhistory, hist_pos;
} app;

static void draw_challenge(app *a);
static bool challenge_key(app *a, int ch);
static int open_challenge(app *a, const char *path);
static void close_challenge(app *a);

/* ===================================================================== */
/* Small helpers                                                         */
/* ===================================================================== */

static void set_status(app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_status(app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->dirty = true;
}

static void push_line(char ***lines, size_t *n, const char *s)
{
    char **l = realloc(*lines, (*n + 1) * sizeof *l);
    if (!l) return;
    *lines = l;
    l[*n] = strdup(s);
    if (l[*n]) (*n)++;
}

static void free_lines(char ***lines, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*lines)[i]);
    free(*lines);
    *lines = NULL;
    *n = 0;
}

static int64_t model_len(const app *a)
{
    return a->model ? (int64_t)dl_model_len(a->model) : 0;
}

static const dl_trace_rec *current_rec(const app *a)
{
    if (!a->model || a->cursor < 0 || a->cursor >= model_len(a)) return NULL;
    return dl_model_event(a->model, (size_t)a->cursor);
}

static int current_cell(const app *a)
{
    if (a->kind != RUN_LESSON || !a->lesson) return -1;
    int c = dl_play_cell_of(&a->play, a->cursor);
    return c < 0 ? 0 : c;
}

/* ===================================================================== */
/* Progress                                                              */
/* ===================================================================== */

static void load_progress(app *a)
{
    char path[4096], msg[1024];
    if (a->opts.progress)
        snprintf(path, sizeof path, "%s", a->opts.progress);
    else if (dl_progress_default_path(path, sizeof path) != 0)
        return;
    int rc = dl_progress_load(&a->progress, path, msg, sizeof msg);
    a->have_progress = rc >= 0;
    if (rc != 0) {
        fprintf(stderr, "deferlab: %s\n", msg);
        set_status(a, "%s", msg);
    }
}

static void save_progress(app *a)
{
    if (!a->have_progress) return;
    char msg[1024];
    if (dl_progress_save(&a->progress, msg, sizeof msg) != 0) {
        fprintf(stderr, "deferlab: %s\n", msg);
        set_status(a, "%s", msg);
    }
}

/* Remember where the learner is in the open lesson. */
static void note_position(app *a)
{
    if (a->kind != RUN_LESSON || !a->lesson || !a->lesson->id) return;
    dl_progress_item *it = dl_progress_lesson(&a->progress, a->lesson->id);
    if (!it) return;
    it->position = a->cursor;
    if (model_len(a) > 0 && a->cursor >= model_len(a) - 1 && a->play.failed_cell < 0)
        it->done = true;
    dl_progress_set_current(&a->progress, a->lesson->id);
}

/* ===================================================================== */
/* Lessons on disk                                                       */
/* ===================================================================== */

static int cmp_entries(const void *x, const void *y)
{
    return strcmp(((const lesson_entry *)x)->path, ((const lesson_entry *)y)->path);
}

static void free_entries(lesson_entry **list, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        free((*list)[i].path);
        free((*list)[i].id);
        free((*list)[i].title);
        free((*list)[i].error);
        free((*list)[i].lesson);
    }
    free(*list);
    *list = NULL;
    *n = 0;
}

static void free_lessons(app *a)
{
    free_entries(&a->lessons, &a->nlessons);
    free_entries(&a->challenges, &a->nchallenges);
}

/* The .md files of dir, each loaded with load (which fills id, title, level
 * or error), sorted by path. */
static void scan_dir(app *a, const char *dir, lesson_entry **list, size_t *count,
                     void (*load)(lesson_entry *e, const char *path))
{
    DIR *d = opendir(dir);
    if (!d) {
        set_status(a, "%s: cannot open: %s", dir, strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0 || e->d_name[0] == '.') continue;
        lesson_entry *l = realloc(*list, (*count + 1) * sizeof *l);
        if (!l) break;
        *list = l;
        lesson_entry *le = &l[(*count)++];
        memset(le, 0, sizeof *le);
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        le->path = strdup(path);
        load(le, path);
        if (!le->id) le->id = strndup(e->d_name, n - 3);
    }
    closedir(d);
    qsort(*list, *count, sizeof **list, cmp_entries);
}

static void load_lesson_entry(lesson_entry *le, const char *path)
{
    dl_diags diags = {0};
    dl_lesson *lesson = dl_lesson_load(path, &diags);
    if (lesson) {
        le->id = strdup(lesson->id);
        le->title = strdup(lesson->title);
        le->level = lesson->level;
        dl_lesson_free(lesson);
    } else {
        le->title = strdup("(this lesson has problems)");
        le->error = strdup(diags.len ? diags.msgs[0] : "cannot load");
    }
    dl_diags_free(&diags);
}

static void load_challenge_entry(lesson_entry *le, const char *path)
{
    dl_diags diags = {0};
    dl_challenge *c = dl_challenge_load(path, &diags);
    if (c) {
        le->id = strdup(c->id);
        le->title = strdup(c->title);
        le->level = c->difficulty;
        le->kind = dl_chal_kind_name(c->kind);
        le->lesson = c->lesson ? strdup(c->lesson) : NULL;
        dl_challenge_free(c);
    } else {
        le->title = strdup("(this challenge has problems)");
        le->error = strdup(diags.len ? diags.msgs[0] : "cannot load");
    }
    dl_diags_free(&diags);
}

static void scan_lessons(app *a)
{
    free_lessons(a);
    scan_dir(a, a->opts.lessons_dir ? a->opts.lessons_dir : "lessons", &a->lessons, &a->nlessons,
             load_lesson_entry);
    if (a->opts.challenges_dir)
        scan_dir(a, a->opts.challenges_dir, &a->challenges, &a->nchallenges, load_challenge_entry);
}

int dl_tui_find_lesson(const char *dir, const char *which, char *path, size_t n)
{
    struct stat st;
    if (strchr(which, '/') ||
        (strlen(which) > 3 && strcmp(which + strlen(which) - 3, ".md") == 0)) {
        if (stat(which, &st) != 0) return -1;
        snprintf(path, n, "%s", which);
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int found = -1;
    char best[1024] = "";
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0) continue;
        if (strncmp(e->d_name, which, strlen(which)) != 0) continue;
        if (found == 0 && strcmp(e->d_name, best) > 0) continue;
        snprintf(best, sizeof best, "%s", e->d_name);
        found = 0;
    }
    closedir(d);
    if (found == 0) snprintf(path, n, "%s/%s", dir, best);
    return found;
}

/* ===================================================================== */
/* Runs                                                                  */
/* ===================================================================== */

static void close_run(app *a)
{
    note_position(a);
    if (a->lesson) {
        for (size_t i = 0; i < a->lesson->ncells; i++)
            free(a->guesses ? a->guesses[i] : NULL);
        free(a->guesses);
        a->guesses = NULL;
        dl_play_free(&a->play);
        if (a->other.model) dl_play_free(&a->other);
        a->side_by_side = false;
        dl_lesson_free(a->lesson);
        a->lesson = NULL;
        a->model = NULL;
    } else if (a->model) {
        if (!a->model_borrowed) dl_model_free(a->model);
        a->model = NULL;
    }
    a->model_borrowed = false;
    free(a->src_text);
    a->src_text = NULL;
    a->src_path = NULL;
    if (a->repl) {
        dl_script_free(a->repl);
        a->repl = NULL;
    }
    free_lines(&a->transcript, &a->ntranscript);
    a->autoplay = false;
    dl_loop_timer_stop(a->loop);
}

static void reset_view(app *a)
{
    memset(a->scroll, 0, sizeof a->scroll);
    for (int p = 0; p < PANE__COUNT; p++)
        a->follow[p] = true;
    a->twin = false;
    a->prompt = PROMPT_NONE;
}

/* (Re)load and run the lesson at a->path, keeping the cursor if asked. */
static int open_lesson(app *a, int64_t cursor)
{
    close_run(a);
    dl_diags diags = {0};
    dl_lesson *l = dl_lesson_load(a->path, &diags);
    if (!l) {
        set_status(a, "%s", diags.len ? diags.msgs[0] : "cannot load the lesson");
        for (size_t i = 0; i < diags.len; i++)
            fprintf(stderr, "%s\n", diags.msgs[i]);
        dl_diags_free(&diags);
        return -1;
    }
    dl_diags_free(&diags);
    a->lesson = l;
    a->kind = RUN_LESSON;
    dl_script_opts so;
    dl_script_opts_default(&so);
    so.semantics = a->semantics;
    int rc = dl_play_lesson(l, &so, &a->play);
    if (rc == DL_ENOMEM || !a->play.model) {
        set_status(a, "out of memory running the lesson");
        dl_lesson_free(l);
        a->lesson = NULL;
        return -1;
    }
    a->model = a->play.model;
    a->guesses = calloc(l->ncells ? l->ncells : 1, sizeof *a->guesses);
    if (rc != 0)
        set_status(a, "%s", a->play.error);
    else
        a->status[0] = '\0';
    reset_view(a);
    a->cursor = cursor < model_len(a) ? cursor : model_len(a) - 1;
    if (a->cursor < 0) a->cursor = 0;
    dl_model_seek(a->model, a->cursor);
    /* Predictions already passed in an earlier visit count as answered. */
    for (size_t k = 0; k < l->ncells; k++)
        if (l->cells[k].predict && a->play.cell_start[k] <= a->cursor && a->cursor > 0)
            a->guesses[k] = strdup("(answered before)");
    a->screen = SCREEN_RUN;
    if (l->id) dl_progress_set_current(&a->progress, l->id);
    return 0;
}

/* ===================================================================== */
/* Moving the cursor                                                     */
/* ===================================================================== */

static void open_prompt(app *a, prompt_kind k)
{
    a->prompt = k;
    a->input_len = 0;
    a->input[0] = '\0';
    a->dirty = true;
}

/* Move to event i. Moving forward into a cell with an unanswered predict
 * prompt stops at that cell's start and asks first. */
static void seek_to(app *a, int64_t i)
{
    if (!a->model) return;
    int64_t len = model_len(a);
    if (i >= len) i = len - 1;
    if (i < 0) i = 0;
    if (a->kind == RUN_LESSON && a->lesson && i > a->cursor) {
        for (size_t k = 0; k < a->lesson->ncells; k++) {
            int64_t start = a->play.cell_start[k];
            if (!a->lesson->cells[k].predict || a->guesses[k]) continue;
            if (start > a->cursor && start <= i) {
                i = start;
                a->autoplay = false;
                dl_loop_timer_stop(a->loop);
                open_prompt(a, PROMPT_PREDICT);
                flushinp(); /* keys pressed to step must not type the guess */
                break;
            }
            if (start == a->cursor && i > start) {
                i = start;
                open_prompt(a, PROMPT_PREDICT);
                break;
            }
        }
    }
    a->cursor = i;
    dl_model_seek(a->model, i);
    a->follow[PANE_CHAINS] = a->follow[PANE_EVENTS] = a->follow[PANE_CODE] = true;
    a->follow[PANE_OUTPUT] = true;
    a->dirty = true;
}

static void seek_cell(app *a, int dir)
{
    if (a->kind != RUN_LESSON || !a->lesson) {
        seek_to(a, dir > 0 ? model_len(a) - 1 : 0);
        return;
    }
    int c = current_cell(a);
    int target = c + dir;
    if (target < 0) {
        seek_to(a, 0);
        return;
    }
    if ((size_t)target >= a->lesson->ncells) {
        seek_to(a, model_len(a) - 1);
        return;
    }
    seek_to(a, a->play.cell_start[target]);
}

static void seek_kind(app *a, int dir)
{
    const dl_trace_rec *cur = current_rec(a);
    if (!cur) return;
    for (int64_t i = a->cursor + dir; i >= 0 && i < model_len(a); i += dir) {
        const dl_trace_rec *r = dl_model_event(a->model, (size_t)i);
        if (r->kind == cur->kind && r->slot == cur->slot) {
            seek_to(a, i);
            return;
        }
    }
    set_status(a, "no %s %s event in that direction", dir > 0 ? "later" : "earlier",
               cur->kind_name);
}

static void autoplay_tick(void *ud)
{
    app *a = ud;
    if (a->cursor >= model_len(a) - 1 || a->prompt != PROMPT_NONE) {
        a->autoplay = false;
        dl_loop_timer_stop(a->loop);
        a->dirty = true;
        return;
    }
    seek_to(a, a->cursor + 1);
}

static void set_autoplay(app *a, bool on)
{
    a->autoplay = on;
    if (on)
        dl_loop_timer_start(a->loop, (uint64_t)a->speed_ms, autoplay_tick, a);
    else
        dl_loop_timer_stop(a->loop);
    a->dirty = true;
}

/* ===================================================================== */
/* Painting: shared pieces                                               */
/* ===================================================================== */

typedef struct pane_emit {
    dl_rect r;
    int base; /* line of the content at r.y */
} pane_emit;

static void emit_in_pane(void *ud, int line, int col, const char *text, dl_color color)
{
    pane_emit *pe = ud;
    int y = line - pe->base;
    if (y < 0 || y >= pe->r.h || col >= pe->r.w) return;
    dl_put(pe->r.y + y, pe->r.x + col, pe->r.w - col, dl_attr(color), text);
}

static void count_lines(void *ud, int line, int col, const char *text, dl_color color)
{
    (void)col;
    (void)text;
    (void)color;
    int *max = ud;
    if (line + 1 > *max) *max = line + 1;
}

static void draw_title(app *a)
{
    dl_fill(0, 0, a->cols, dl_attr(DL_C_TITLE));
    char t[2048];
    if (a->screen == SCREEN_HOME) {
        snprintf(t, sizeof t, " deferlab %s %s", dl_glyph()->hline,
                 a->home_challenges ? "challenges" : "lessons");
    } else if (a->screen == SCREEN_CHALLENGE) {
        char stars[64] = "";
        for (int k = 1; k <= 5; k++)
            strcat(stars, k <= a->chal->difficulty ? dl_glyph()->star : dl_glyph()->nostar);
        snprintf(t, sizeof t, " deferlab %s challenge %s  %s  %zu/%zu hints", dl_glyph()->hline,
                 a->chal->id, stars, a->hints_shown, a->chal->nhints);
    } else {
        const char *what = a->kind == RUN_REPL             ? "REPL"
                           : a->kind == RUN_REPLAY         ? a->path
                           : a->lesson && a->lesson->title ? a->lesson->title
                                                           : a->path;
        char pos[256] = "";
        if (a->kind == RUN_LESSON && a->lesson)
            snprintf(pos, sizeof pos, "  cell %d/%zu", current_cell(a) + 1, a->lesson->ncells);
        const dl_trace_rec *r = current_rec(a);
        snprintf(t, sizeof t, " deferlab %s %s%s  step %lld/%lld  t=%g%s%s", dl_glyph()->hline,
                 what, pos, (long long)a->cursor + 1, (long long)model_len(a), r ? r->t : 0.0,
                 a->semantics == DL_SEMANTICS_PROPOSED ? "  [proposed chainDeferred]" : "",
                 a->autoplay ? "  [playing]" : "");
    }
    dl_put(0, 0, a->cols, dl_attr(DL_C_TITLE), t);
}

static void draw_keybar(app *a)
{
    int y = a->rows - 1;
    dl_fill(y, 0, a->cols, dl_attr(DL_C_KEYBAR));
    if (a->prompt != PROMPT_NONE) {
        static const char *const labels[] = {
            "",         "go to step: ", "your prediction (';' between lines): ",
            "filter: ", "lua> ",        "write trace to: "};
        int x = dl_put(y, 0, a->cols, dl_attr(DL_C_PROMPT), labels[a->prompt]);
        int used = dl_put(y, x, a->cols - x - 1, dl_attr(DL_C_KEYBAR), a->input);
        dl_put(y, x + used, 1, dl_attr(DL_C_CURRENT), " ");
        return;
    }
    /* Home has its own short labels; everything else comes from the table. */
    static const struct {
        dl_action act;
        const char *label;
    } home_bar[] = {{DL_ACT_UP, "up"},         {DL_ACT_DOWN, "down"}, {DL_ACT_OPEN, "open"},
                    {DL_ACT_FILTER, "filter"}, {DL_ACT_HELP, "help"}, {DL_ACT_QUIT, "quit"}};
    int x = 0;
    if (a->screen == SCREEN_CHALLENGE) {
        static const char *const bar[][2] = {{"r", "re-check"},    {"e", "edit"},     {"h", "hint"},
                                             {"v", "failing run"}, {"S", "solution"}, {"?", "help"},
                                             {"q", "back"}};
        for (size_t i = 0; i < sizeof bar / sizeof bar[0] && x < a->cols; i++) {
            x += dl_put(y, x, a->cols - x, dl_attr(DL_C_KEY), bar[i][0]);
            x += dl_put(y, x + 1, a->cols - x - 1, dl_attr(DL_C_KEYBAR), bar[i][1]) + 3;
        }
        return;
    }
    if (a->screen == SCREEN_HOME) {
        for (size_t i = 0; i < sizeof home_bar / sizeof home_bar[0] && x < a->cols; i++) {
            x += dl_put(y, x, a->cols - x, dl_attr(DL_C_KEY),
                        dl_action_info_of(home_bar[i].act)->keys);
            x += dl_put(y, x + 1, a->cols - x - 1, dl_attr(DL_C_KEYBAR), home_bar[i].label) + 3;
        }
        return;
    }
    for (int act = 1; act < DL_ACT__COUNT && x < a->cols; act++) {
        const dl_action_info *ai = dl_action_info_of((dl_action)act);
        if (!ai->bar) continue;
        if (act == DL_ACT_TWIN && a->kind != RUN_LESSON) continue;
        x += dl_put(y, x, a->cols - x, dl_attr(DL_C_KEY), ai->keys);
        x += dl_put(y, x + 1, a->cols - x - 1, dl_attr(DL_C_KEYBAR), ai->bar) + 3;
    }
}

static void draw_status(app *a)
{
    if (!a->status[0]) return;
    int y = a->rows - 2;
    dl_fill(y, 0, a->cols, dl_attr(DL_C_NORMAL));
    dl_put(y, 1, a->cols - 2, dl_attr(DL_C_WAIT), a->status);
}

static void draw_too_small(app *a)
{
    erase();
    char line1[128], line2[128];
    snprintf(line1, sizeof line1, "Terminal too small: %dx%d", a->cols, a->rows);
    snprintf(line2, sizeof line2, "deferlab needs at least %dx%d. Resize, or press q.", MIN_COLS,
             MIN_ROWS);
    int y = a->rows / 2 - 1;
    if (y < 0) y = 0;
    dl_put(y, 0, a->cols, dl_attr(DL_C_FAIL), line1);
    if (y + 1 < a->rows) dl_put(y + 1, 0, a->cols, dl_attr(DL_C_NORMAL), line2);
}

static void draw_help(app *a)
{
    dl_rect r = {1, 2, a->rows - 2, a->cols - 4};
    for (int y = r.y; y < r.y + r.h; y++)
        dl_fill(y, r.x, r.w, dl_attr(DL_C_NORMAL));
    dl_box(r, "Help: keys (any key closes)", 1);
    dl_rect in = dl_inner(r);
    int line = 0;
    const dl_glyphs *g = dl_glyph();
    char legend[512];
    snprintf(legend, sizeof legend,
             "Chains: %s ran  %s raised  %s skipped  %s next  %s waiting  %s result token  "
             "%s result passes  %s unhandled",
             g->ran, g->raised, g->skipped, g->next, g->waiting, g->token, g->pass, g->bolt);
    int y0 = in.y - a->help_scroll;
    if (y0 + line >= in.y) dl_put(y0 + line, in.x + 1, in.w - 2, dl_attr(DL_C_HEADING), legend);
    line += 2;
    for (int act = 1; act < DL_ACT__COUNT; act++) {
        const dl_action_info *ai = dl_action_info_of((dl_action)act);
        int y = y0 + line++;
        if (y < in.y || y >= in.y + in.h) continue;
        dl_put(y, in.x + 1, 12, dl_attr(DL_C_KEY), ai->keys);
        dl_put(y, in.x + 14, in.w - 15, dl_attr(DL_C_NORMAL), ai->help);
    }
    line++;
    int y = y0 + line;
    if (y >= in.y && y < in.y + in.h)
        dl_put(y, in.x + 1, in.w - 2, dl_attr(DL_C_DIM),
               "Mouse: click a pane to focus it; the wheel scrolls. REPL: Esc quits, Up/Down "
               "recall lines.");
}

/* ===================================================================== */
/* Home                                                                  */
/* ===================================================================== */

static bool entry_visible(const app *a, const lesson_entry *e)
{
    if (!a->filter[0]) return true;
    return strstr(e->title, a->filter) || strstr(e->id, a->filter);
}

static const dl_progress_item *find_item(const dl_progress_item *items, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].id, id) == 0) return &items[i];
    return NULL;
}

static const dl_progress_item *lesson_progress(const app *a, const char *id)
{
    return find_item(a->progress.lessons, a->progress.nlessons, id);
}

static const dl_progress_item *challenge_progress(const app *a, const char *id)
{
    return find_item(a->progress.challenges, a->progress.nchallenges, id);
}

/* The list Home shows now. */
static lesson_entry *home_list(const app *a, size_t *n)
{
    *n = a->home_challenges ? a->nchallenges : a->nlessons;
    return a->home_challenges ? a->challenges : a->lessons;
}

/* Challenges passed / total for a lesson id. */
static void challenge_counts(const app *a, const char *lesson_id, int *passed, int *total)
{
    *passed = *total = 0;
    for (size_t i = 0; i < a->nchallenges; i++) {
        const lesson_entry *c = &a->challenges[i];
        if (!c->lesson || strcmp(c->lesson, lesson_id) != 0) continue;
        (*total)++;
        const dl_progress_item *p = challenge_progress(a, c->id);
        if (p && p->done) (*passed)++;
    }
}

static void draw_home(app *a)
{
    dl_rect r = {1, 0, a->rows - 3, a->cols};
    dl_box(r, a->home_challenges ? "Challenges   (Tab: lessons)" : "Lessons   (Tab: challenges)",
           1);
    dl_rect in = dl_inner(r);
    const dl_glyphs *g = dl_glyph();
    size_t n;
    lesson_entry *list = home_list(a, &n);
    int visible = 0;
    for (size_t i = 0; i < n; i++)
        visible += entry_visible(a, &list[i]);
    if (a->sel >= visible) a->sel = visible ? visible - 1 : 0;
    if (a->sel < a->home_top) a->home_top = a->sel;
    if (a->sel >= a->home_top + in.h - 2) a->home_top = a->sel - in.h + 3;
    int row = 0, shown = 0;
    const lesson_entry *sel = NULL;
    for (size_t i = 0; i < n; i++) {
        lesson_entry *e = &list[i];
        if (!entry_visible(a, e)) continue;
        int idx = row++;
        if (idx == a->sel) sel = e;
        if (idx < a->home_top || shown >= in.h - 2) continue;
        int y = in.y + shown++;
        bool is_sel = idx == a->sel;
        const dl_progress_item *p =
            a->home_challenges ? challenge_progress(a, e->id) : lesson_progress(a, e->id);
        char line[1024], stars[64] = "", extra[64] = "";
        for (int k = 1; k <= 5; k++)
            strcat(stars, k <= e->level ? g->star : g->nostar);
        const char *mark = e->error ? g->raised : p && p->done ? g->done : p ? g->next : g->todo;
        if (a->home_challenges) {
            snprintf(extra, sizeof extra, "%-9s", e->kind ? e->kind : "");
        } else {
            int passed, total;
            challenge_counts(a, e->id, &passed, &total);
            if (total) snprintf(extra, sizeof extra, "%d/%d", passed, total);
        }
        snprintf(line, sizeof line, "%s %s %-30s %s", is_sel ? g->next : " ", mark, e->id,
                 e->title);
        int attr = is_sel ? dl_attr(DL_C_CURRENT) : dl_attr(e->error ? DL_C_FAIL : DL_C_NORMAL);
        if (is_sel) dl_fill(y, in.x, in.w, attr);
        dl_put(y, in.x + 1, in.w - 22, attr, line);
        dl_put(y, in.x + in.w - 20, 11, is_sel ? attr : dl_attr(DL_C_DIM), extra);
        dl_put(y, in.x + in.w - 7, 6, is_sel ? attr : dl_attr(DL_C_WAIT), stars);
    }
    if (row == 0)
        dl_put(in.y, in.x + 2, in.w - 4, dl_attr(DL_C_DIM),
               n ? "nothing matches the filter" : "nothing found here");
    char info[1024];
    if (sel && sel->error) {
        snprintf(info, sizeof info, "%s", sel->error);
    } else if (a->home_challenges) {
        snprintf(info, sizeof info,
                 "%s passed   %s started   %s new   difficulty %s   follows %s%s%s", g->done,
                 g->next, g->todo, g->star, sel && sel->lesson ? sel->lesson : "?",
                 a->filter[0] ? "   filter: " : "", a->filter);
    } else {
        snprintf(info, sizeof info,
                 "%s done   %s started   %s new   level %s   n/m challenges passed   Enter "
                 "continues%s%s",
                 g->done, g->next, g->todo, g->star, a->filter[0] ? "   filter: " : "", a->filter);
    }
    dl_put(in.y + in.h - 1, in.x + 1, in.w - 2, dl_attr(sel && sel->error ? DL_C_FAIL : DL_C_DIM),
           info);
}

/* ===================================================================== */
/* The run screen's panes                                                */
/* ===================================================================== */

static void layout_panes(app *a)
{
    memset(a->pane_visible, 0, sizeof a->pane_visible);
    int top = 1, bottom = a->rows - 2; /* title row; status row + key bar */
    int h = bottom - top;
    int left_w = a->cols >= 140 ? a->cols * 2 / 5 : a->cols * 9 / 20;
    int right_w = a->cols - left_w;
    int out_h = h >= 30 ? 8 : 6;
    if (a->kind == RUN_LESSON) {
        int prose_h = h * 11 / 20;
        a->pane_rect[PANE_PROSE] = (dl_rect){top, 0, prose_h, left_w};
        a->pane_rect[PANE_CODE] = (dl_rect){top + prose_h, 0, h - prose_h, left_w};
        a->pane_visible[PANE_PROSE] = a->pane_visible[PANE_CODE] = true;
    } else if (a->kind == RUN_REPL) {
        a->pane_rect[PANE_PROSE] = (dl_rect){top, 0, h, left_w};
        a->pane_visible[PANE_PROSE] = true;
    } else {
        a->pane_rect[PANE_CODE] = (dl_rect){top, 0, h / 2, left_w};
        a->pane_rect[PANE_PROSE] = (dl_rect){0, 0, 0, 0};
        a->pane_visible[PANE_CODE] = true;
        a->pane_rect[PANE_EVENTS] = (dl_rect){top + h / 2, 0, h - h / 2, left_w};
        a->pane_visible[PANE_EVENTS] = true;
    }
    if (a->kind == RUN_REPLAY) {
        a->pane_rect[PANE_CHAINS] = (dl_rect){top, left_w, h - out_h, right_w};
        a->pane_rect[PANE_OUTPUT] = (dl_rect){top + h - out_h, left_w, out_h, right_w};
    } else {
        int chains_h = (h - out_h) * 3 / 5;
        a->pane_rect[PANE_CHAINS] = (dl_rect){top, left_w, chains_h, right_w};
        a->pane_rect[PANE_EVENTS] =
            (dl_rect){top + chains_h, left_w, h - out_h - chains_h, right_w};
        a->pane_rect[PANE_OUTPUT] = (dl_rect){top + h - out_h, left_w, out_h, right_w};
        a->pane_visible[PANE_EVENTS] = true;
    }
    a->pane_visible[PANE_CHAINS] = a->pane_visible[PANE_OUTPUT] = true;
    if (!a->pane_visible[a->focus]) a->focus = PANE_CHAINS;
}

/* Clamp a pane's scroll so content of `total` lines fills `h` rows. */
static int clamp_scroll(int scroll, int total, int h)
{
    if (scroll > total - h) scroll = total - h;
    return scroll < 0 ? 0 : scroll;
}

typedef struct prose_ctx {
    dl_rect r;
    int base, first;
} prose_ctx;

static void emit_prose(void *ud, int line, int col, const char *s, size_t len, int attr)
{
    prose_ctx *pc = ud;
    int y = pc->first + line - pc->base;
    if (y < 0 || y >= pc->r.h) return;
    char buf[1024];
    if (len >= sizeof buf) len = sizeof buf - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    dl_put_raw(pc->r.y + y, pc->r.x + col, pc->r.w - col, attr, buf);
}

static void noop_prose(void *ud, int line, int col, const char *s, size_t len, int attr)
{
    (void)ud;
    (void)line;
    (void)col;
    (void)s;
    (void)len;
    (void)attr;
}

static int span_attr(unsigned style, dl_block_kind kind)
{
    if (kind == DL_BLOCK_HEADING) return dl_attr(DL_C_HEADING);
    if (style & DL_STYLE_CODE) return dl_attr(DL_C_CODE);
    if (style & (DL_STYLE_STRONG | DL_STYLE_EM)) return dl_attr(DL_C_EMPH);
    return dl_attr(DL_C_NORMAL);
}

/* Draw one block at content line `first`; returns the lines it used. */
static int draw_block(const dl_block *b, dl_rect r, int base, int first, bool measure)
{
    dl_run runs[64];
    size_t n = 0;
    char prefix[32] = "";
    int indent = 0;
    if (b->kind == DL_BLOCK_ITEM) {
        snprintf(prefix, sizeof prefix, "%*s%s ", (b->level - 1) * 2, "",
                 strcmp(b->bullet, "-") == 0 ? (dl_glyph()->utf8 ? "•" : "*") : b->bullet);
        indent = dl_text_width(prefix);
        runs[n++] = (dl_run){prefix, dl_attr(DL_C_DIM)};
    } else if (b->kind == DL_BLOCK_QUOTE) {
        snprintf(prefix, sizeof prefix, "%s ", dl_glyph()->vline);
        indent = 2;
        runs[n++] = (dl_run){prefix, dl_attr(DL_C_WAIT)};
    } else if (b->kind == DL_BLOCK_HEADING) {
        snprintf(prefix, sizeof prefix, "%.*s ", b->level, "######");
        runs[n++] = (dl_run){prefix, dl_attr(DL_C_HEADING)};
    } else if (b->kind == DL_BLOCK_RULE) {
        return 1;
    }
    for (size_t i = 0; i < b->nspans && n < 64; i++)
        runs[n++] = (dl_run){b->spans[i].text, span_attr(b->spans[i].style, b->kind)};
    if (b->kind == DL_BLOCK_CODE) {
        runs[0] = (dl_run){b->code ? b->code : "", dl_attr(DL_C_CODE)};
        n = 1;
    }
    prose_ctx pc = {r, base, first};
    return dl_wrap(runs, n, r.w - 1, indent, measure ? noop_prose : emit_prose, &pc);
}

/* The range of doc blocks that introduce cell k (after cell k-1 and its
 * twin); the final cell also gets the closing prose. */
static void prose_range(const app *a, int k, size_t *from, size_t *to)
{
    const dl_lesson *l = a->lesson;
    size_t start = 0;
    if (k > 0) {
        const dl_cell *prev = &l->cells[k - 1];
        start = prev->block + 1 + (prev->twin ? 1 : 0);
    }
    size_t end = (size_t)k < l->ncells ? l->cells[k].block : l->doc->nblocks;
    if ((size_t)k + 1 == l->ncells && a->cursor >= model_len(a) - 1) {
        /* At the very end, show what follows the last cell too. */
        const dl_cell *last = &l->cells[k];
        size_t after = last->block + 1 + (last->twin ? 1 : 0);
        if (after < l->doc->nblocks) {
            start = after;
            end = l->doc->nblocks;
        }
    }
    *from = start;
    *to = end;
}

static void draw_prose_pane(app *a, dl_rect in)
{
    if (a->kind == RUN_REPL) {
        int total = (int)a->ntranscript;
        int top = a->follow[PANE_PROSE] ? total - in.h : a->scroll[PANE_PROSE];
        top = clamp_scroll(top, total, in.h);
        a->scroll[PANE_PROSE] = top;
        for (int y = 0; y < in.h && top + y < total; y++) {
            const char *s = a->transcript[top + y];
            int attr = strncmp(s, "lua> ", 5) == 0   ? dl_attr(DL_C_CODE)
                       : strncmp(s, "error", 5) == 0 ? dl_attr(DL_C_FAIL)
                                                     : dl_attr(DL_C_NORMAL);
            dl_put(in.y + y, in.x, in.w, attr, s);
        }
        return;
    }
    const dl_lesson *l = a->lesson;
    if (!l) return;
    int k = current_cell(a);
    size_t from, to;
    prose_range(a, k, &from, &to);
    /* Measure, then draw from the scroll offset. */
    int total = 0;
    for (size_t i = from; i < to; i++) {
        const dl_block *b = &l->doc->blocks[i];
        if (b->kind == DL_BLOCK_CODE &&
            (strncmp(b->info, "lua", 3) == 0 || strncmp(b->info, "python", 6) == 0))
            continue;
        total += draw_block(b, (dl_rect){0, 0, 0, in.w}, 0, 0, true) + 1;
    }
    int top = clamp_scroll(a->scroll[PANE_PROSE], total, in.h);
    a->scroll[PANE_PROSE] = top;
    int line = 0;
    for (size_t i = from; i < to; i++) {
        const dl_block *b = &l->doc->blocks[i];
        if (b->kind == DL_BLOCK_CODE &&
            (strncmp(b->info, "lua", 3) == 0 || strncmp(b->info, "python", 6) == 0))
            continue;
        line += draw_block(b, in, top, line, false) + 1;
    }
    /* More above / below: marked on the box's right edge, outside the text. */
    if (top > 0) dl_put(in.y, in.x + in.w + 1, 1, dl_attr(DL_C_WAIT), dl_glyph()->utf8 ? "▲" : "^");
    if (total - top > in.h)
        dl_put(in.y + in.h - 1, in.x + in.w + 1, 1, dl_attr(DL_C_WAIT),
               dl_glyph()->utf8 ? "▼" : "v");
}

static void draw_code_lines(app *a, dl_rect in, const char *code, int first_line, int highlight,
                            const char *title)
{
    int nlines = 1;
    for (const char *p = code; *p; p++)
        nlines += *p == '\n';
    int hl_idx = highlight - first_line;
    int top = a->scroll[PANE_CODE];
    if (a->follow[PANE_CODE] && hl_idx >= 0) {
        if (hl_idx < top) top = hl_idx;
        if (hl_idx >= top + in.h - 1) top = hl_idx - in.h + 2;
    }
    top = clamp_scroll(top, nlines + (title ? 1 : 0), in.h);
    a->scroll[PANE_CODE] = top;
    int y = 0;
    if (title) dl_put(in.y + y++, in.x, in.w, dl_attr(DL_C_HEADING), title);
    const char *p = code;
    for (int i = 0; i < nlines && y < in.h; i++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (i >= top) {
            char num[16], text[1024];
            snprintf(num, sizeof num, "%4d ", first_line + i);
            snprintf(text, sizeof text, "%.*s", (int)(len < 1000 ? len : 1000), p);
            bool hl = i == hl_idx;
            if (hl) dl_fill(in.y + y, in.x, in.w, dl_attr(DL_C_CURRENT));
            dl_put(in.y + y, in.x, 5, dl_attr(hl ? DL_C_CURRENT : DL_C_LINENO), num);
            if (hl) dl_put(in.y + y, in.x + 5, 2, dl_attr(DL_C_CURRENT), dl_glyph()->next);
            dl_put(in.y + y, in.x + 7, in.w - 7, dl_attr(hl ? DL_C_CURRENT : DL_C_CODE), text);
            y++;
        }
        if (!nl) break;
        p = nl + 1;
    }
}

static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf) buf[n] = '\0';
    return buf;
}

static void draw_code_pane(app *a, dl_rect in)
{
    const dl_trace_rec *r = current_rec(a);
    if (a->kind == RUN_LESSON && a->lesson) {
        int k = current_cell(a);
        if (k < 0 || (size_t)k >= a->lesson->ncells) return;
        const dl_cell *c = &a->lesson->cells[k];
        int hl = r && r->file && strcmp(r->file, a->lesson->doc->path) == 0 ? r->line : -1;
        if (a->twin) {
            if (c->twin)
                draw_code_lines(a, in, c->twin, c->twin_line, -1, "Twisted twin (Python):");
            else
                dl_put(in.y, in.x, in.w, dl_attr(DL_C_DIM), "this cell has no Python twin");
            return;
        }
        draw_code_lines(a, in, c->code, c->code_line, hl, NULL);
        return;
    }
    /* Replay: the source file when it is at hand, around the event's line. */
    if (!r || !r->file) {
        dl_put(in.y, in.x, in.w, dl_attr(DL_C_DIM), "no source location for this event");
        return;
    }
    /* Read each source file once, not on every paint (autoplay repaints
     * every step). r->file borrows from the trace, which outlives this. */
    if (a->src_path != r->file && (!a->src_path || strcmp(a->src_path, r->file) != 0)) {
        free(a->src_text);
        a->src_text = read_small_file(r->file);
        a->src_path = r->file;
    }
    if (!a->src_text) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s:%d (source not found)", r->file, r->line);
        dl_put(in.y, in.x, in.w, dl_attr(DL_C_DIM), msg);
        return;
    }
    draw_code_lines(a, in, a->src_text, 1, r->line, r->file);
}

static uint32_t current_deferred(const app *a)
{
    return dl_trace_rec_deferred(current_rec(a));
}

/* The diagrams of every Deferred (then every structure) of m at its
 * cursor, in rect in, scrolled so that Deferred cur is in view when the
 * pane follows the cursor. */
static void draw_chains(app *a, const dl_model *m, uint32_t cur, dl_rect in)
{
    size_t n = dl_model_deferred_count(m);
    size_t ns = dl_model_structure_count(m);
    /* Pass 1: heights, and where the current Deferred starts. */
    int total = 0, cur_top = -1, cur_h = 0;
    for (size_t k = 0; k < n; k++) {
        const dl_model_deferred *d = dl_model_deferred_at(m, k);
        int h = 0;
        dl_chain_draw(m, d, in.w, d->id == cur, count_lines, &h);
        if (d->id == cur) {
            cur_top = total;
            cur_h = h;
        }
        total += h + 1;
    }
    for (size_t k = 0; k < ns; k++) {
        int h = 0;
        dl_structure_draw(m, dl_model_structure_at(m, k), in.w, count_lines, &h);
        total += h + 1;
    }
    int top = a->scroll[PANE_CHAINS];
    if (a->follow[PANE_CHAINS] && cur_top >= 0) {
        if (cur_top < top || cur_top + cur_h > top + in.h)
            top = cur_h >= in.h ? cur_top : cur_top - (in.h - cur_h) / 3;
    }
    top = clamp_scroll(top, total, in.h);
    a->scroll[PANE_CHAINS] = top;
    /* Pass 2: draw what is visible. */
    int line = 0;
    for (size_t k = 0; k < n; k++) {
        const dl_model_deferred *d = dl_model_deferred_at(m, k);
        pane_emit pe = {in, top - line};
        int h = 0;
        if (line + 200 >= top && line < top + in.h)
            h = dl_chain_draw(m, d, in.w, d->id == cur, emit_in_pane, &pe);
        else
            dl_chain_draw(m, d, in.w, 0, count_lines, &h);
        line += h + 1;
    }
    for (size_t k = 0; k < ns; k++) {
        pane_emit pe = {in, top - line};
        line += dl_structure_draw(m, dl_model_structure_at(m, k), in.w, emit_in_pane, &pe) + 1;
    }
    if (n == 0 && ns == 0)
        dl_put(in.y, in.x + 1, in.w - 2, dl_attr(DL_C_DIM), "no Deferreds yet: step forward (→)");
}

/* The other semantics' run at the same place: the same cell, as many
 * events into it (as far as that cell goes). */
static int64_t other_cursor(const app *a)
{
    int k = current_cell(a);
    if (k < 0 || (size_t)k >= a->other.ncells) return 0;
    int64_t off = a->cursor - a->play.cell_start[k];
    int64_t c = a->other.cell_start[k] + off;
    if (c >= a->other.cell_end[k]) c = a->other.cell_end[k] - 1;
    if (c < 0) c = 0;
    return c;
}

static void draw_chains_pane(app *a, dl_rect in)
{
    uint32_t cur = current_deferred(a);
    if (!a->side_by_side || !a->other.model) {
        draw_chains(a, a->model, cur, in);
        return;
    }
    /* s: the same lesson under both chainDeferred semantics, side by side. */
    int lw = (in.w - 1) / 2;
    dl_rect left = {in.y + 1, in.x, in.h - 1, lw},
            right = {in.y + 1, in.x + lw + 1, in.h - 1, in.w - lw - 1};
    bool proposed = a->semantics == DL_SEMANTICS_PROPOSED;
    dl_put(in.y, left.x, left.w, dl_attr(DL_C_HEADING),
           proposed ? "proposed chainDeferred" : "Twisted's chainDeferred");
    dl_put(in.y, right.x, right.w, dl_attr(DL_C_HEADING),
           proposed ? "Twisted's chainDeferred (same step)" : "proposed chainDeferred (same step)");
    for (int y = in.y; y < in.y + in.h; y++)
        dl_put(y, in.x + lw, 1, dl_attr(DL_C_BORDER), dl_glyph()->vline);
    int saved = a->scroll[PANE_CHAINS];
    draw_chains(a, a->model, cur, left);
    int64_t oc = other_cursor(a);
    dl_model_seek(a->other.model, oc);
    a->scroll[PANE_CHAINS] = saved;
    draw_chains(a, a->other.model,
                dl_trace_rec_deferred(dl_model_event(a->other.model, (size_t)oc)), right);
}

static void draw_events_pane(app *a, dl_rect in)
{
    int64_t len = model_len(a);
    int64_t top = a->scroll[PANE_EVENTS];
    if (a->follow[PANE_EVENTS]) top = a->cursor - in.h + 2;
    if (top > len - in.h) top = len - in.h;
    if (top < 0) top = 0;
    a->scroll[PANE_EVENTS] = (int)top;
    char line[1024], text[900];
    for (int y = 0; y < in.h && top + y < len; y++) {
        int64_t i = top + y;
        const dl_trace_rec *r = dl_model_event(a->model, (size_t)i);
        dl_story(a->model, (size_t)i, text, sizeof text);
        bool cur = i == a->cursor;
        bool future = i > a->cursor;
        snprintf(line, sizeof line, "%5lld %s %s", (long long)i + 1, cur ? dl_glyph()->next : " ",
                 text);
        int attr = cur      ? dl_attr(DL_C_CURRENT)
                   : future ? dl_attr(DL_C_DIM)
                   : r->kind == DL_EV_UNHANDLED || (r->kind == DL_EV_RETURN && r->count)
                       ? dl_attr(DL_C_FAIL)
                   : r->kind == DL_EV_CELL ? dl_attr(DL_C_HEADING)
                                           : dl_attr(DL_C_NORMAL);
        if (cur) dl_fill(in.y + y, in.x, in.w, attr);
        dl_put(in.y + y, in.x, in.w, attr, line);
    }
}

static void draw_output_pane(app *a, dl_rect in)
{
    int y = 0;
    /* The prediction for the current cell, if there was one. */
    int k = current_cell(a);
    if (a->kind == RUN_LESSON && a->lesson && k >= 0 && (size_t)k < a->lesson->ncells &&
        a->lesson->cells[k].predict) {
        const dl_cell *c = &a->lesson->cells[k];
        char q[600];
        if (!a->guesses[k]) {
            snprintf(q, sizeof q, "Predict: %s", c->predict);
            dl_put(in.y + y++, in.x, in.w, dl_attr(DL_C_WAIT), q);
        } else if (a->cursor >= a->play.cell_end[k] - 1 &&
                   strcmp(a->guesses[k], "(answered before)")) {
            char *actual = dl_play_cell_output(&a->play, (size_t)k);
            bool ok = actual && dl_predict_matches(a->guesses[k], actual);
            snprintf(q, sizeof q, "%s you predicted: %s", ok ? dl_glyph()->ran : dl_glyph()->raised,
                     a->guesses[k]);
            dl_put(in.y + y++, in.x, in.w, dl_attr(ok ? DL_C_OK : DL_C_FAIL), q);
            free(actual);
        }
    }
    size_t n = dl_model_output_count(a->model);
    int room = in.h - y;
    size_t first = n > (size_t)room ? n - (size_t)room : 0;
    for (size_t i = first; i < n && y < in.h; i++) {
        const char *s = dl_model_output_at(a->model, i, NULL);
        dl_put(in.y + y++, in.x, in.w, dl_attr(DL_C_NORMAL), s);
    }
    if (n == 0 && y == 0) dl_put(in.y, in.x, in.w, dl_attr(DL_C_DIM), "(nothing printed yet)");
}

static void draw_run(app *a)
{
    layout_panes(a);
    for (int p = 0; p < PANE__COUNT; p++) {
        if (!a->pane_visible[p]) continue;
        dl_rect r = a->pane_rect[p];
        char title[64];
        snprintf(title, sizeof title, "%s",
                 p == PANE_PROSE && a->kind == RUN_REPL ? "REPL" : pane_names[p]);
        if (p == PANE_CODE && a->twin) snprintf(title, sizeof title, "Code: Twisted twin");
        dl_box(r, title, (int)a->focus == p);
        dl_rect in = dl_inner(r);
        if (in.h <= 0 || in.w <= 2) continue;
        in.x += 1;
        in.w -= 2;
        switch (p) {
        case PANE_PROSE:
            draw_prose_pane(a, in);
            break;
        case PANE_CODE:
            draw_code_pane(a, in);
            break;
        case PANE_CHAINS:
            draw_chains_pane(a, in);
            break;
        case PANE_EVENTS:
            draw_events_pane(a, in);
            break;
        case PANE_OUTPUT:
            draw_output_pane(a, in);
            break;
        }
    }
}

static void draw_frame(app *a)
{
    erase();
    if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
        draw_too_small(a);
    } else {
        draw_title(a);
        if (a->screen == SCREEN_HOME)
            draw_home(a);
        else if (a->screen == SCREEN_CHALLENGE)
            draw_challenge(a);
        else
            draw_run(a);
        draw_status(a);
        draw_keybar(a);
        if (a->help) draw_help(a);
    }
}

static void paint(void *ud)
{
    app *a = ud;
    if (!a->dirty || !dl_term_active()) return;
    a->dirty = false;
    draw_frame(a);
    wnoutrefresh(stdscr);
    doupdate();
}

/* ===================================================================== */
/* A challenge                                                           */
/* ===================================================================== */

static void close_challenge(app *a)
{
    dl_watch_free(a->watch);
    a->watch = NULL;
    if (a->have_report) dl_check_report_free(&a->report);
    a->have_report = false;
    dl_challenge_free(a->chal);
    a->chal = NULL;
    free(a->solution);
    a->solution = NULL;
    a->reveal = 0;
    a->hints_shown = 0;
    a->watch_msg[0] = '\0';
}

static dl_progress_item *chal_item(app *a)
{
    return a->chal && a->chal->id ? dl_progress_challenge(&a->progress, a->chal->id) : NULL;
}

/* Run every check on the working copy and record a pass. */
static void recheck(app *a)
{
    if (!a->chal) return;
    if (a->have_report) dl_check_report_free(&a->report);
    a->have_report = false;
    char err[1024];
    if (dl_check_run_file(a->chal, a->work, NULL, &a->report, err, sizeof err) != 0) {
        set_status(a, "%s", err);
        a->dirty = true;
        return;
    }
    a->have_report = true;
    a->chal_scroll = 0;
    dl_progress_item *it = chal_item(a);
    if (a->report.passed) {
        if (it && !it->done) {
            it->done = true;
            save_progress(a);
        }
        set_status(a, "%s all %zu checks pass: the explanation is on the left", dl_glyph()->ran,
                   a->report.nresults);
    } else {
        set_status(a, "%s %zu of %zu checks pass; save the file to check again", dl_glyph()->raised,
                   a->report.npassed, a->report.nresults);
    }
    a->dirty = true;
}

static void on_work_change(void *ud)
{
    recheck(ud);
}

static void on_watch_mode(void *ud, dl_watch_mode mode, const char *why)
{
    app *a = ud;
    snprintf(a->watch_msg, sizeof a->watch_msg, "%s", why);
    if (mode == DL_WATCH_POLLING) set_status(a, "%s", why);
    a->dirty = true;
}

static int open_challenge(app *a, const char *path)
{
    close_run(a);
    close_challenge(a);
    dl_diags diags = {0};
    a->chal = dl_challenge_load(path, &diags);
    if (!a->chal) {
        set_status(a, "%s", diags.len ? diags.msgs[0] : "cannot load the challenge");
        dl_diags_free(&diags);
        return -1;
    }
    dl_diags_free(&diags);
    char err[1200];
    if (dl_work_path(a->chal->id, a->work, sizeof a->work) != 0) {
        set_status(a, "neither XDG_STATE_HOME nor HOME is set: nowhere to keep your work");
        close_challenge(a);
        return -1;
    }
    int created = dl_work_ensure(a->chal, a->work, err, sizeof err);
    if (created < 0) {
        set_status(a, "%s", err);
        close_challenge(a);
        return -1;
    }
    dl_watch_handlers wh = {on_work_change, on_watch_mode, a};
    a->watch = dl_watch_new(a->loop, a->work, &wh, NULL, err, sizeof err);
    snprintf(a->watch_msg, sizeof a->watch_msg, "%.*s", (int)sizeof a->watch_msg - 1,
             a->watch ? "re-checks when you save" : err);
    const dl_progress_item *p = challenge_progress(a, a->chal->id);
    a->hints_shown = p ? (size_t)p->hints : 0;
    if (a->hints_shown > a->chal->nhints) a->hints_shown = a->chal->nhints;
    a->screen = SCREEN_CHALLENGE;
    recheck(a);
    if (created == 1)
        set_status(a, "your file is %s (made from the starter); edit it with e or any editor",
                   a->work);
    return 0;
}

/* Show the failing run's events in the replay view; q comes back. */
static void view_failing_run(app *a)
{
    const dl_check_result *f = a->have_report ? dl_check_first_failure(&a->report) : NULL;
    if (!f || !f->model || dl_model_len(f->model) == 0) {
        set_status(a, "no failing run to show");
        return;
    }
    a->model = f->model;
    a->model_borrowed = true;
    a->kind = RUN_REPLAY;
    a->screen = SCREEN_RUN;
    snprintf(a->path, sizeof a->path, "failing run of check `%s`", f->name);
    reset_view(a);
    a->cursor = (int64_t)dl_model_len(a->model) - 1;
    dl_model_seek(a->model, a->cursor);
    a->dirty = true;
}

static char *read_small_file(const char *path);
static void edit_file(app *a, const char *path);

static void reveal_solution(app *a)
{
    char path[1024];
    dl_work_solution_path(a->chal, path, sizeof path);
    free(a->solution);
    a->solution = read_small_file(path);
    if (!a->solution) {
        set_status(a, "%s: cannot read the reference solution", path);
        a->reveal = 0;
        return;
    }
    a->reveal = 2;
    dl_progress_item *it = chal_item(a);
    if (it && !it->done && !it->revealed) {
        it->revealed = true;
        save_progress(a);
    }
    a->chal_scroll = 0;
}

static void next_hint(app *a)
{
    if (a->hints_shown >= a->chal->nhints) {
        set_status(a, "no more hints (%zu of %zu shown)", a->hints_shown, a->chal->nhints);
        return;
    }
    a->hints_shown++;
    dl_progress_item *it = chal_item(a);
    if (it && it->hints < (int)a->hints_shown) {
        it->hints = (int)a->hints_shown;
        save_progress(a);
    }
    set_status(a, "hint %zu of %zu", a->hints_shown, a->chal->nhints);
}

static int draw_text_block(dl_rect in, int top, int line, const char *text, int attr, int indent)
{
    dl_run run = {text, attr};
    prose_ctx pc = {in, top, line};
    return dl_wrap(&run, 1, in.w - 1, indent, emit_prose, &pc);
}

static void draw_challenge(app *a)
{
    const dl_challenge *c = a->chal;
    int top = 1, h = a->rows - 3;
    int left_w = a->cols / 2;
    dl_rect lr = {top, 0, h, left_w}, rr = {top, left_w, h, a->cols - left_w};
    char title[512];
    snprintf(title, sizeof title, "Task: %s (%s)", c->title, dl_chal_kind_name(c->kind));
    dl_box(lr, title, 1);
    dl_box(rr, "Checks", 0);
    dl_rect in = dl_inner(lr);
    in.x++;
    in.w -= 2;
    const dl_doc *doc = c->doc;
    int line = 0, st = a->chal_scroll;
    for (size_t i = 0; i < c->task_end && i < doc->nblocks; i++) {
        const dl_block *b = &doc->blocks[i];
        if (b->kind == DL_BLOCK_CODE) continue;
        line += draw_block(b, in, st, line, false) + 1;
    }
    char buf[1400];
    for (size_t k = 0; k < a->hints_shown; k++) {
        snprintf(buf, sizeof buf, "Hint %zu: %s", k + 1, c->hints[k]);
        line += draw_text_block(in, st, line, buf, dl_attr(DL_C_WAIT), 0) + 1;
    }
    if (a->have_report && a->report.passed) {
        line += draw_text_block(in, st, line, "Explanation", dl_attr(DL_C_HEADING), 0);
        for (size_t i = c->explain_first; i < doc->nblocks; i++) {
            const dl_block *b = &doc->blocks[i];
            if (b->kind == DL_BLOCK_HEADING && i == c->explain_first) continue;
            line += draw_block(b, in, st, line, false) + 1;
        }
    }
    if (a->reveal == 2 && a->solution) {
        line += draw_text_block(in, st, line, "Reference solution", dl_attr(DL_C_HEADING), 0);
        line += draw_text_block(in, st, line, a->solution, dl_attr(DL_C_CODE), 0);
    }

    /* Right: one line per check, then the first failure in words. */
    dl_rect rin = dl_inner(rr);
    rin.x++;
    rin.w -= 2;
    int y = 0;
    snprintf(buf, sizeof buf, "your file: %s", a->work);
    y += draw_text_block(rin, 0, y, buf, dl_attr(DL_C_DIM), 0);
    y += draw_text_block(rin, 0, y, a->watch_msg, dl_attr(DL_C_DIM), 0) + 1;
    if (!a->have_report) return;
    const dl_glyphs *g = dl_glyph();
    for (size_t i = 0; i < a->report.nresults; i++) {
        const dl_check_result *r = &a->report.results[i];
        snprintf(buf, sizeof buf, "%s %s", r->passed ? g->ran : g->raised, r->name);
        y += draw_text_block(rin, 0, y, buf, dl_attr(r->passed ? DL_C_OK : DL_C_FAIL), 2);
    }
    const dl_check_result *f = dl_check_first_failure(&a->report);
    if (f) {
        y++;
        y += draw_text_block(rin, 0, y, "First failure:", dl_attr(DL_C_HEADING), 0);
        if (f->message) y += draw_text_block(rin, 0, y, f->message, dl_attr(DL_C_NORMAL), 2);
        if (f->got && f->expected) {
            /* Predict: say where the answer diverges, without giving away
             * the engine's output (that is what S is for). */
            y += draw_text_block(rin, 0, y, "Your answer:", dl_attr(DL_C_DIM), 0);
            y += draw_text_block(rin, 0, y, f->got[0] ? f->got : "(empty)", dl_attr(DL_C_CODE), 2);
        }
        if (f->model)
            y += draw_text_block(rin, 0, y, "v shows this run's events, step by step",
                                 dl_attr(DL_C_DIM), 0);
    }
    if (f && f->output && f->output[0] && y < rin.h - 2) {
        y++;
        y += draw_text_block(rin, 0, y, "Your program printed:", dl_attr(DL_C_DIM), 0);
        draw_text_block(rin, 0, y, f->output, dl_attr(DL_C_NORMAL), 2);
    }
}

/* Keys on the challenge screen. Returns true when handled. */
static bool challenge_key(app *a, int ch)
{
    if (a->reveal == 1) {
        if (ch == 'y' || ch == 'Y')
            reveal_solution(a);
        else
            a->reveal = 0;
        if (a->reveal != 2) set_status(a, "solution stays hidden");
        a->dirty = true;
        return true;
    }
    switch (ch) {
    case 'r':
        recheck(a);
        return true;
    case 'h':
        next_hint(a);
        return true;
    case 'v':
        view_failing_run(a);
        return true;
    case 'S':
        if (a->have_report && a->report.passed) {
            reveal_solution(a);
        } else {
            a->reveal = 1;
            set_status(a, "You have not passed yet. Show the reference solution anyway? (y/n)");
        }
        return true;
    case 'e':
        edit_file(a, a->work);
        recheck(a);
        return true;
    default:
        return false;
    }
}

/* ===================================================================== */
/* Input                                                                 */
/* ===================================================================== */

static void quit_app(app *a)
{
    a->done = true;
    dl_loop_stop(a->loop);
}

static void back(app *a)
{
    if (a->screen == SCREEN_RUN && a->model_borrowed && a->chal) {
        /* Leaving a failing run: back to its challenge. */
        close_run(a);
        a->screen = SCREEN_CHALLENGE;
        a->dirty = true;
        return;
    }
    if (a->screen == SCREEN_CHALLENGE && (a->lessons || a->challenges)) {
        close_challenge(a);
        a->screen = SCREEN_HOME;
        a->home_challenges = true;
        a->status[0] = '\0';
        a->dirty = true;
        return;
    }
    if (a->screen == SCREEN_RUN && a->kind == RUN_LESSON && a->lessons) {
        close_run(a);
        save_progress(a);
        a->screen = SCREEN_HOME;
        a->status[0] = '\0';
        a->dirty = true;
        return;
    }
    quit_app(a);
}

static void open_selected(app *a)
{
    size_t n;
    lesson_entry *list = home_list(a, &n);
    for (size_t i = 0, k = 0; i < n; i++) {
        if (!entry_visible(a, &list[i])) continue;
        if ((int)k++ != a->sel) continue;
        if (list[i].error) {
            set_status(a, "%s", list[i].error);
            return;
        }
        if (a->home_challenges) {
            open_challenge(a, list[i].path);
        } else {
            snprintf(a->path, sizeof a->path, "%s", list[i].path);
            const dl_progress_item *p = lesson_progress(a, list[i].id);
            open_lesson(a, p && p->position >= 0 && !p->done ? p->position : 0);
        }
        a->dirty = true;
        return;
    }
}

static void write_trace(app *a, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        set_status(a, "%s: cannot write: %s", path, strerror(errno));
        return;
    }
    dl_trace_producer prod = {.source = a->path[0] ? a->path : "repl", .semantics = a->semantics};
    dl_trace_writer *w = dl_trace_writer_new(f, &prod);
    int rc = w ? 0 : DL_ENOMEM;
    for (size_t i = 0; rc == 0 && i < (size_t)model_len(a); i++)
        rc = dl_trace_writer_write(w, dl_model_event(a->model, i));
    int crc = w ? dl_trace_writer_close(w) : 0;
    fclose(f);
    if (rc || crc)
        set_status(a, "%s: writing the trace failed", path);
    else
        set_status(a, "wrote %lld events to %s", (long long)model_len(a), path);
}

/* Suspend the screen, run $VISUAL / $EDITOR (vi) on path, come back. */
static void edit_file(app *a, const char *path)
{
    const char *editor = getenv("VISUAL");
    if (!editor || !editor[0]) editor = getenv("EDITOR");
    if (!editor || !editor[0]) editor = "vi";
    dl_loop_input(a->loop, 0);
    dl_term_suspend();
    pid_t pid = fork();
    if (pid == 0) {
        execlp("sh", "sh", "-c", "exec $0 \"$1\"", editor, path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    dl_term_resume();
    dl_loop_input(a->loop, 1);
    if (pid < 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
        set_status(a, "could not run the editor `%s`", editor);
    a->dirty = true;
}

static void run_editor(app *a)
{
    if (a->kind != RUN_LESSON) {
        set_status(a, "e edits lesson files");
        return;
    }
    edit_file(a, a->path);
    open_lesson(a, a->cursor);
}

static void submit_prompt(app *a)
{
    prompt_kind k = a->prompt;
    a->prompt = PROMPT_NONE;
    a->dirty = true;
    switch (k) {
    case PROMPT_GOTO: {
        char *end;
        long long n = strtoll(a->input, &end, 10);
        if (end == a->input || *end)
            set_status(a, "not a step number: %s", a->input);
        else
            seek_to(a, n - 1);
        break;
    }
    case PROMPT_PREDICT: {
        int c = current_cell(a);
        if (c < 0 || !a->lesson) break;
        char *g = strdup(a->input);
        if (!g) break;
        for (char *p = g; *p; p++)
            if (*p == ';') *p = '\n';
        free(a->guesses[c]);
        a->guesses[c] = g;
        /* Run the cell: jump to its last event, and say how it went. */
        char *actual = dl_play_cell_output(&a->play, (size_t)c);
        bool ok = actual && dl_predict_matches(g, actual);
        seek_to(a, a->play.cell_end[c] - 1);
        if (ok)
            set_status(a, "%s Right: the engine printed exactly that.", dl_glyph()->ran);
        else
            set_status(a, "%s Not quite. The engine printed: %s", dl_glyph()->raised,
                       actual && actual[0] ? actual : "(nothing)");
        for (char *p = a->status; *p; p++)
            if (*p == '\n') *p = ';';
        free(actual);
        break;
    }
    case PROMPT_FILTER:
        snprintf(a->filter, sizeof a->filter, "%.*s", (int)sizeof a->filter - 1, a->input);
        a->sel = 0;
        break;
    case PROMPT_WRITE:
        if (a->input_len) write_trace(a, a->input);
        break;
    case PROMPT_REPL: {
        if (!a->repl) break;
        char line[600];
        snprintf(line, sizeof line, "lua> %s", a->input);
        push_line(&a->transcript, &a->ntranscript, line);
        push_line(&a->history, &a->nhistory, a->input);
        a->hist_pos = a->nhistory;
        size_t before = dl_model_output_count(a->model);
        if (dl_script_run(a->repl, "repl", a->input, a->input_len) != 0) {
            snprintf(line, sizeof line, "error: %s", dl_script_error(a->repl));
            push_line(&a->transcript, &a->ntranscript, line);
        }
        for (size_t i = before; i < dl_model_output_count(a->model); i++)
            push_line(&a->transcript, &a->ntranscript, dl_model_output_at(a->model, i, NULL));
        a->cursor = model_len(a) - 1;
        dl_model_seek(a->model, a->cursor);
        a->follow[PANE_PROSE] = a->follow[PANE_CHAINS] = a->follow[PANE_EVENTS] = true;
        open_prompt(a, PROMPT_REPL); /* the REPL keeps its prompt */
        break;
    }
    default:
        break;
    }
}

static void prompt_key(app *a, int ch)
{
    if (ch == 27 || (ch == 4 && a->prompt == PROMPT_REPL)) {
        if (a->prompt == PROMPT_REPL)
            quit_app(a);
        else if (a->prompt == PROMPT_PREDICT)
            set_status(a, "predict first: type your guess, then Enter");
        else
            a->prompt = PROMPT_NONE;
        a->dirty = true;
        return;
    }
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        submit_prompt(a);
        return;
    }
    if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        /* Remove one UTF-8 character. */
        while (a->input_len && (a->input[a->input_len - 1] & 0xC0) == 0x80)
            a->input_len--;
        if (a->input_len) a->input_len--;
        a->input[a->input_len] = '\0';
    } else if (a->prompt == PROMPT_REPL && (ch == KEY_UP || ch == KEY_DOWN)) {
        if (ch == KEY_UP && a->hist_pos > 0) a->hist_pos--;
        if (ch == KEY_DOWN && a->hist_pos < a->nhistory) a->hist_pos++;
        const char *h = a->hist_pos < a->nhistory ? a->history[a->hist_pos] : "";
        snprintf(a->input, sizeof a->input, "%s", h);
        a->input_len = strlen(a->input);
    } else if (ch == '\t' && a->prompt == PROMPT_REPL) {
        a->focus = (pane)((a->focus + 1) % PANE__COUNT);
    } else if (ch == KEY_PPAGE || ch == KEY_NPAGE) {
        a->follow[a->focus] = false;
        a->scroll[a->focus] += ch == KEY_PPAGE ? -10 : 10;
    } else if (ch >= 32 && ch < 256 && a->input_len + 1 < sizeof a->input) {
        a->input[a->input_len++] = (char)ch;
        a->input[a->input_len] = '\0';
    }
    a->dirty = true;
}

static void scroll_focus(app *a, int delta)
{
    if (a->screen == SCREEN_CHALLENGE) {
        a->chal_scroll += delta;
        if (a->chal_scroll < 0) a->chal_scroll = 0;
        a->dirty = true;
        return;
    }
    if (a->screen == SCREEN_HOME) {
        a->sel += delta;
        if (a->sel < 0) a->sel = 0;
        a->dirty = true;
        return;
    }
    a->follow[a->focus] = false;
    a->scroll[a->focus] += delta;
    if (a->scroll[a->focus] < 0) a->scroll[a->focus] = 0;
    a->dirty = true;
}

static void handle_mouse(app *a)
{
    MEVENT me;
    if (getmouse(&me) != OK) return;
    if (me.bstate & BUTTON4_PRESSED) {
        scroll_focus(a, -3);
        return;
    }
    if (me.bstate & BUTTON5_PRESSED) {
        scroll_focus(a, 3);
        return;
    }
    if (a->screen == SCREEN_HOME) {
        int row = me.y - 2 + a->home_top;
        if (row >= 0) {
            if (row == a->sel && (me.bstate & BUTTON1_CLICKED)) open_selected(a);
            a->sel = row;
        }
        a->dirty = true;
        return;
    }
    for (int p = 0; p < PANE__COUNT; p++) {
        dl_rect r = a->pane_rect[p];
        if (a->pane_visible[p] && me.y >= r.y && me.y < r.y + r.h && me.x >= r.x &&
            me.x < r.x + r.w)
            a->focus = (pane)p;
    }
    a->dirty = true;
}

static void do_action(app *a, dl_action act)
{
    if (a->help) {
        if (act == DL_ACT_DOWN || act == DL_ACT_UP) {
            a->help_scroll += act == DL_ACT_DOWN ? 1 : -1;
            if (a->help_scroll < 0) a->help_scroll = 0;
        } else {
            a->help = false;
        }
        a->dirty = true;
        return;
    }
    bool run = a->screen == SCREEN_RUN;
    if (a->screen == SCREEN_CHALLENGE) {
        if (act == DL_ACT_QUIT)
            back(a);
        else if (act == DL_ACT_HELP)
            a->help = true;
        else if (act == DL_ACT_UP || act == DL_ACT_DOWN)
            scroll_focus(a, act == DL_ACT_UP ? -1 : 1);
        else if (act == DL_ACT_PAGE_UP || act == DL_ACT_PAGE_DOWN)
            scroll_focus(a, act == DL_ACT_PAGE_UP ? -10 : 10);
        a->dirty = true;
        return;
    }
    switch (act) {
    case DL_ACT_HELP:
        a->help = true;
        a->help_scroll = 0;
        break;
    case DL_ACT_QUIT:
        back(a);
        break;
    case DL_ACT_UP:
        scroll_focus(a, -1);
        break;
    case DL_ACT_DOWN:
        scroll_focus(a, 1);
        break;
    case DL_ACT_PAGE_UP:
        scroll_focus(a, -10);
        break;
    case DL_ACT_PAGE_DOWN:
        scroll_focus(a, 10);
        break;
    case DL_ACT_OPEN:
        if (!run) open_selected(a);
        break;
    case DL_ACT_FILTER:
        if (!run) open_prompt(a, PROMPT_FILTER);
        break;
    case DL_ACT_FOCUS:
        if (!run) {
            a->home_challenges = !a->home_challenges;
            a->sel = a->home_top = 0;
        }
        break;
    default:
        break;
    }
    if (!run || a->kind == RUN_REPL) {
        a->dirty = true;
        return;
    }
    switch (act) {
    case DL_ACT_NEXT:
        seek_to(a, a->cursor + 1);
        break;
    case DL_ACT_PREV:
        a->prompt = PROMPT_NONE;
        seek_to(a, a->cursor - 1);
        break;
    case DL_ACT_NEXT_CELL:
        seek_cell(a, 1);
        break;
    case DL_ACT_PREV_CELL:
        a->prompt = PROMPT_NONE;
        seek_cell(a, -1);
        break;
    case DL_ACT_FIRST:
        a->prompt = PROMPT_NONE;
        seek_to(a, 0);
        break;
    case DL_ACT_LAST:
        seek_to(a, model_len(a) - 1);
        break;
    case DL_ACT_GOTO:
        open_prompt(a, PROMPT_GOTO);
        break;
    case DL_ACT_PREV_KIND:
        seek_kind(a, -1);
        break;
    case DL_ACT_NEXT_KIND:
        seek_kind(a, 1);
        break;
    case DL_ACT_AUTOPLAY:
        set_autoplay(a, !a->autoplay);
        break;
    case DL_ACT_FASTER:
        if (a->speed_ms > 50) a->speed_ms = a->speed_ms * 2 / 3;
        if (a->autoplay) set_autoplay(a, true);
        set_status(a, "autoplay: one step every %d ms", a->speed_ms);
        break;
    case DL_ACT_SLOWER:
        if (a->speed_ms < 4000) a->speed_ms = a->speed_ms * 3 / 2;
        if (a->autoplay) set_autoplay(a, true);
        set_status(a, "autoplay: one step every %d ms", a->speed_ms);
        break;
    case DL_ACT_FOCUS:
        do
            a->focus = (pane)(((int)a->focus + 1) % (int)PANE__COUNT);
        while (!a->pane_visible[a->focus]);
        break;
    case DL_ACT_TWIN:
        a->twin = !a->twin;
        break;
    case DL_ACT_SEMANTICS:
        if (a->kind != RUN_LESSON || !a->lesson) break;
        if (a->side_by_side) {
            a->side_by_side = false;
            if (a->other.model) dl_play_free(&a->other);
            set_status(a, "one semantics again");
            break;
        }
        {
            dl_script_opts so;
            dl_script_opts_default(&so);
            so.semantics =
                a->semantics == DL_SEMANTICS_TWISTED ? DL_SEMANTICS_PROPOSED : DL_SEMANTICS_TWISTED;
            if (dl_play_lesson(a->lesson, &so, &a->other) == DL_ENOMEM || !a->other.model) {
                set_status(a, "out of memory running the other semantics");
                break;
            }
            a->side_by_side = true;
            set_status(a,
                       "chains: left as run, right under the %s chainDeferred semantics "
                       "(cells that call setChainSemantics choose their own); s again to close",
                       so.semantics == DL_SEMANTICS_PROPOSED ? "proposed" : "Twisted");
        }
        break;
    case DL_ACT_WRITE:
        open_prompt(a, PROMPT_WRITE);
        snprintf(a->input, sizeof a->input, "%s.jsonl",
                 a->lesson && a->lesson->id ? a->lesson->id : "trace");
        a->input_len = strlen(a->input);
        break;
    case DL_ACT_EDIT:
        run_editor(a);
        break;
    case DL_ACT_RERUN:
        if (a->kind == RUN_LESSON) {
            open_lesson(a, a->cursor);
            if (!a->status[0]) set_status(a, "re-ran %s", a->path);
        }
        break;
    default:
        break;
    }
    a->dirty = true;
}

static void on_input(void *ud)
{
    app *a = ud;
    int ch;
    while ((ch = getch()) != ERR) {
        if (ch == KEY_RESIZE) {
            getmaxyx(stdscr, a->rows, a->cols);
            a->dirty = true;
            continue;
        }
        if (ch == KEY_MOUSE) {
            handle_mouse(a);
            continue;
        }
        if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
            if (ch == 'q' || ch == 27) quit_app(a);
            continue;
        }
        if (a->prompt != PROMPT_NONE && !a->help) {
            if (ch == KEY_F(1))
                a->help = true;
            else
                prompt_key(a, ch);
            continue;
        }
        if (a->status[0] && ch != ERR) a->status[0] = '\0';
        if (a->screen == SCREEN_CHALLENGE && !a->help && challenge_key(a, ch)) {
            a->dirty = true;
            continue;
        }
        do_action(a, dl_action_for_key(ch));
        if (a->done) return;
    }
}

static void on_resize(void *ud, int rows, int cols)
{
    app *a = ud;
    if (rows > 0 && cols > 0) {
        resizeterm(rows, cols);
        a->rows = rows;
        a->cols = cols;
    } else {
        getmaxyx(stdscr, a->rows, a->cols);
    }
    a->dirty = true;
}

static void on_signal(void *ud, int signum)
{
    app *a = ud;
    a->exit_status = 128 + signum;
    quit_app(a);
}

/* ===================================================================== */
/* Entry points                                                          */
/* ===================================================================== */

static int start(app *a, const dl_tui_opts *o)
{
    memset(a, 0, sizeof *a);
    a->opts = *o;
    a->semantics = o->semantics;
    a->speed_ms = 600;
    a->cursor = 0;
    a->focus = PANE_CHAINS;
    for (int p = 0; p < PANE__COUNT; p++)
        a->follow[p] = true;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "deferlab: the workbench needs a terminal (stdin and stdout must be a "
                        "tty); try `deferlab run FILE` for plain output\n");
        return -1;
    }
    dl_loop_handlers h = {on_input, on_resize, on_signal, paint, a};
    /* The loop first: it owns SIGWINCH before curses starts. */
    a->loop = dl_loop_new(&h, 0);
    if (!a->loop) {
        fprintf(stderr, "deferlab: cannot start the event loop\n");
        return -1;
    }
    char msg[512];
    if (dl_term_start(dl_theme_choose(o->color, o->theme), msg, sizeof msg) != 0) {
        fprintf(stderr, "deferlab: %s\n", msg);
        dl_loop_free(a->loop);
        return -1;
    }
    getmaxyx(stdscr, a->rows, a->cols);
    load_progress(a);
    a->dirty = true;
    return 0;
}

static int finish(app *a)
{
    close_run(a);
    close_challenge(a); /* the watcher before the loop */
    save_progress(a);
    dl_term_stop();
    dl_loop_free(a->loop);
    free_lessons(a);
    free_lines(&a->history, &a->nhistory);
    dl_progress_free(&a->progress);
    return a->exit_status;
}

int dl_tui_home(const dl_tui_opts *o)
{
    app a;
    if (start(&a, o) != 0) return 2;
    scan_lessons(&a);
    /* Put the selection on the current lesson. */
    for (size_t i = 0; a.progress.current && i < a.nlessons; i++)
        if (strcmp(a.lessons[i].id, a.progress.current) == 0) a.sel = (int)i;
    a.screen = SCREEN_HOME;
    dl_loop_run(a.loop);
    return finish(&a);
}

int dl_tui_learn(const dl_tui_opts *o, const char *which)
{
    char path[1024];
    const char *dir = o->lessons_dir ? o->lessons_dir : "lessons";
    if (dl_tui_find_lesson(dir, which, path, sizeof path) != 0) {
        fprintf(stderr, "deferlab: no lesson `%s` (looked in %s/)\n", which, dir);
        return 2;
    }
    app a;
    if (start(&a, o) != 0) return 2;
    scan_lessons(&a);
    snprintf(a.path, sizeof a.path, "%s", path);
    if (open_lesson(&a, 0) != 0) {
        finish(&a);
        fprintf(stderr, "deferlab: %s\n", a.status);
        return 2;
    }
    /* Resume where the learner was. */
    const dl_progress_item *p = a.lesson && a.lesson->id ? lesson_progress(&a, a.lesson->id) : NULL;
    if (p && p->position > 0 && !p->done) seek_to(&a, p->position);
    dl_loop_run(a.loop);
    return finish(&a);
}

int dl_tui_challenge(const dl_tui_opts *o, const char *which)
{
    char path[1024];
    const char *dir = o->challenges_dir ? o->challenges_dir : "challenges";
    if (dl_tui_find_lesson(dir, which, path, sizeof path) != 0) {
        fprintf(stderr, "deferlab: no challenge `%s` (looked in %s/)\n", which, dir);
        return 2;
    }
    app a;
    if (start(&a, o) != 0) return 2;
    scan_lessons(&a);
    if (open_challenge(&a, path) != 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", a.status);
        finish(&a);
        fprintf(stderr, "deferlab: %s\n", msg);
        return 2;
    }
    dl_loop_run(a.loop);
    return finish(&a);
}

int dl_tui_replay(const dl_tui_opts *o, const char *trace_path)
{
    dl_trace *t = NULL;
    char msg[1024];
    int rc = dl_trace_load(trace_path, &t, msg, sizeof msg);
    if (rc != 0) {
        fprintf(stderr, "deferlab: %s\n", msg);
        return 2;
    }
    for (size_t i = 0; i < t->nwarnings; i++)
        fprintf(stderr, "deferlab: %s\n", t->warnings[i]);
    app a;
    if (start(&a, o) != 0) {
        dl_trace_free(t);
        return 2;
    }
    a.model = dl_model_new_from_trace(t);
    if (!a.model) {
        finish(&a);
        fprintf(stderr, "deferlab: out of memory loading %s\n", trace_path);
        return 2;
    }
    a.kind = RUN_REPLAY;
    a.screen = SCREEN_RUN;
    snprintf(a.path, sizeof a.path, "%s", trace_path);
    dl_model_seek(a.model, 0);
    dl_loop_run(a.loop);
    return finish(&a);
}

int dl_tui_repl(const dl_tui_opts *o)
{
    app a;
    if (start(&a, o) != 0) return 2;
    dl_script_opts so;
    dl_script_opts_default(&so);
    so.semantics = o->semantics;
    a.repl = dl_script_new(&so);
    a.model = dl_model_new();
    if (!a.repl || !a.model) {
        finish(&a);
        fprintf(stderr, "deferlab: cannot start the REPL (out of memory)\n");
        return 2;
    }
    dl_engine *eng = dl_script_engine(a.repl);
    dl_engine_observe(eng, dl_model_observe, a.model);
    a.kind = RUN_REPL;
    a.screen = SCREEN_RUN;
    push_line(&a.transcript, &a.ntranscript,
              "Type Lua; each line runs in the sandbox. Try: d = Deferred()");
    push_line(&a.transcript, &a.ntranscript, "Esc or Ctrl-D quits; Up/Down recall lines.");
    open_prompt(&a, PROMPT_REPL);
    dl_loop_run(a.loop);
    /* The script must finish before the model it reports to goes away. */
    if (a.repl) {
        dl_script_finish(a.repl);
        dl_script_free(a.repl);
        a.repl = NULL;
    }
    return finish(&a);
}

/* ===================================================================== */
/* Headless rendering                                                    */
/* ===================================================================== */

/* Row y of stdscr as UTF-8, trailing blanks trimmed. */
static size_t row_text(int y, int cols, char *buf, size_t n)
{
    size_t len = 0;
    for (int x = 0; x < cols; x++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t at;
        short pair;
        if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wch, &at, &pair, NULL) == ERR) continue;
        for (int k = 0; wch[k] && k < CCHARW_MAX; k++) {
            char mb[16];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t w = wcrtomb(mb, wch[k], &st);
            if (w == (size_t)-1) mb[0] = '?', w = 1;
            if (len + w + 1 < n) memcpy(buf + len, mb, w), len += w;
        }
    }
    while (len && buf[len - 1] == ' ')
        len--;
    buf[len] = '\0';
    return len;
}

int dl_tui_snapshot(dl_model *m, int64_t cursor, int rows, int cols, int utf8, int frames,
                    char **out)
{
    *out = NULL;
    if (utf8 && !setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "");
    dl_term_use_glyphs(utf8);
    FILE *fo = fopen("/dev/null", "w"), *fi = fopen("/dev/null", "r");
    SCREEN *scr = fo && fi ? newterm("xterm", fo, fi) : NULL;
    if (!scr) {
        if (fo) fclose(fo);
        if (fi) fclose(fi);
        return -1;
    }
    set_term(scr);
    resizeterm(rows, cols);
    app a;
    memset(&a, 0, sizeof a);
    a.rows = rows;
    a.cols = cols;
    a.model = m;
    a.kind = RUN_REPLAY;
    a.screen = SCREEN_RUN;
    a.focus = PANE_CHAINS;
    for (int p = 0; p < PANE__COUNT; p++)
        a.follow[p] = true;
    snprintf(a.path, sizeof a.path, "snapshot");
    int64_t len = (int64_t)dl_model_len(m);
    a.cursor = cursor < len ? cursor : len - 1;
    for (int f = 0; f < (frames > 1 ? frames : 1); f++) {
        int64_t c = a.cursor + ((f & 1) ? -1 : 0);
        dl_model_seek(m, c < 0 ? 0 : c);
        int64_t keep = a.cursor;
        a.cursor = c < 0 ? 0 : c;
        draw_frame(&a);
        a.cursor = keep;
    }
    dl_model_seek(m, a.cursor);
    draw_frame(&a);
    size_t cap = (size_t)rows * ((size_t)cols * 4 + 1) + 1, used = 0;
    char *text = malloc(cap);
    if (text) {
        for (int y = 0; y < rows; y++) {
            used += row_text(y, cols, text + used, cap - used - 1);
            text[used++] = '\n';
        }
        text[used] = '\0';
    }
    free(a.src_text);
    endwin();
    delscreen(scr);
    fclose(fo);
    fclose(fi);
    *out = text;
    return text ? 0 : -1;
}
