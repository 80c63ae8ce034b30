/* term.c - curses life cycle, themes and glyphs. */
#include "tui/term.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool active;
static dl_theme current_theme;
static int attrs[DL_C__COUNT];
static FILE *err_capture;
static int saved_stderr = -1;

static const dl_glyphs utf8_glyphs = {.ran = "✓",
                                      .raised = "✗",
                                      .skipped = "·",
                                      .next = "▶",
                                      .running = "⚙",
                                      .waiting = "⏸",
                                      .token = "●",
                                      .pass = "│",
                                      .vline = "│",
                                      .hline = "─",
                                      .tl = "╭",
                                      .tr = "╮",
                                      .bl = "╰",
                                      .br = "╯",
                                      .tee_down = "┬",
                                      .tee_up = "┴",
                                      .cross = "┼",
                                      .arrow = "→",
                                      .bolt = "↯",
                                      .done = "✓",
                                      .todo = "○",
                                      .star = "★",
                                      .nostar = "☆",
                                      .ellipsis = "…",
                                      .utf8 = true};

static const dl_glyphs ascii_glyphs = {.ran = "+",
                                       .raised = "x",
                                       .skipped = ".",
                                       .next = ">",
                                       .running = "*",
                                       .waiting = "=",
                                       .token = "o",
                                       .pass = "|",
                                       .vline = "|",
                                       .hline = "-",
                                       .tl = ".",
                                       .tr = ".",
                                       .bl = "'",
                                       .br = "'",
                                       .tee_down = "+",
                                       .tee_up = "+",
                                       .cross = "+",
                                       .arrow = "->",
                                       .bolt = "!",
                                       .done = "v",
                                       .todo = "o",
                                       .star = "*",
                                       .nostar = ".",
                                       .ellipsis = "~",
                                       .utf8 = false};

static const dl_glyphs *glyphs = &ascii_glyphs;

const dl_glyphs *dl_glyph(void)
{
    return glyphs;
}

void dl_term_use_glyphs(bool utf8)
{
    glyphs = utf8 ? &utf8_glyphs : &ascii_glyphs;
}

bool dl_term_active(void)
{
    return active;
}

int dl_attr(dl_color c)
{
    return attrs[c];
}

dl_theme dl_theme_choose(const char *color_flag, const char *theme_flag)
{
    const char *no_color = getenv("NO_COLOR");
    if (color_flag && strcmp(color_flag, "never") == 0) return DL_THEME_MONO;
    if (!(color_flag && strcmp(color_flag, "always") == 0) && no_color && no_color[0])
        return DL_THEME_MONO;
    if (theme_flag && strcmp(theme_flag, "mono") == 0) return DL_THEME_MONO;
    if (theme_flag && strcmp(theme_flag, "light") == 0) return DL_THEME_LIGHT;
    return DL_THEME_DARK;
}

/* Semantic colour -> (foreground, style) per theme. -1 is the default. */
typedef struct style {
    short fg, bg;
    int extra;
} style;

static style theme_style(dl_theme t, dl_color c)
{
    bool light = t == DL_THEME_LIGHT;
    switch (c) {
    case DL_C_TITLE:
        return (style){COLOR_WHITE, COLOR_BLUE, A_BOLD};
    case DL_C_KEYBAR:
        return (style){light ? COLOR_BLACK : COLOR_WHITE, light ? COLOR_WHITE : COLOR_BLACK, 0};
    case DL_C_KEY:
        return (style){light ? COLOR_BLUE : COLOR_YELLOW, -1, A_BOLD};
    case DL_C_BORDER:
        return (style){light ? COLOR_BLACK : COLOR_BLUE, -1, 0};
    case DL_C_FOCUS:
        return (style){COLOR_CYAN, -1, A_BOLD};
    case DL_C_DIM:
        return (style){light ? COLOR_BLACK : COLOR_WHITE, -1, A_DIM};
    case DL_C_HEADING:
        return (style){light ? COLOR_BLUE : COLOR_CYAN, -1, A_BOLD};
    case DL_C_EMPH:
        return (style){-1, -1, A_BOLD};
    case DL_C_CODE:
        return (style){light ? COLOR_MAGENTA : COLOR_YELLOW, -1, 0};
    case DL_C_LINENO:
        return (style){light ? COLOR_BLACK : COLOR_WHITE, -1, A_DIM};
    case DL_C_CURRENT:
        return (style){COLOR_BLACK, COLOR_CYAN, 0};
    case DL_C_CALLBACK:
        return (style){light ? COLOR_BLUE : COLOR_CYAN, -1, 0};
    case DL_C_ERRBACK:
        return (style){COLOR_MAGENTA, -1, 0};
    case DL_C_OK:
        return (style){COLOR_GREEN, -1, A_BOLD};
    case DL_C_FAIL:
        return (style){COLOR_RED, -1, A_BOLD};
    case DL_C_WAIT:
        return (style){light ? COLOR_BLUE : COLOR_YELLOW, -1, A_BOLD};
    case DL_C_NOTE:
        return (style){COLOR_GREEN, -1, 0};
    case DL_C_PROMPT:
        return (style){COLOR_BLACK, COLOR_YELLOW, A_BOLD};
    default:
        return (style){-1, -1, 0};
    }
}

/* Monochrome: readable from style alone. */
static int mono_attr(dl_color c)
{
    switch (c) {
    case DL_C_TITLE:
    case DL_C_CURRENT:
    case DL_C_PROMPT:
        return A_REVERSE;
    case DL_C_KEY:
    case DL_C_FOCUS:
    case DL_C_HEADING:
    case DL_C_EMPH:
    case DL_C_OK:
    case DL_C_FAIL:
    case DL_C_WAIT:
        return A_BOLD;
    case DL_C_CODE:
        return A_UNDERLINE;
    case DL_C_DIM:
    case DL_C_LINENO:
        return A_DIM;
    default:
        return A_NORMAL;
    }
}

static void setup_attrs(dl_theme t)
{
    bool colour = t != DL_THEME_MONO && has_colors();
    if (colour) {
        start_color();
        use_default_colors();
    }
    for (int c = 0; c < DL_C__COUNT; c++) {
        if (!colour) {
            attrs[c] = mono_attr((dl_color)c);
            continue;
        }
        style s = theme_style(t, (dl_color)c);
        if (s.fg == -1 && s.bg == -1) {
            attrs[c] = s.extra;
            continue;
        }
        init_pair((short)(c + 1), s.fg, s.bg);
        attrs[c] = COLOR_PAIR(c + 1) | s.extra;
    }
}

static void fatal_signal(int sig)
{
    dl_term_stop();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_fatal_handlers(void)
{
    static const int sigs[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = fatal_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[i], &sa, NULL);
    }
}

static void capture_stderr(void)
{
    fflush(stderr);
    err_capture = tmpfile();
    if (!err_capture) return;
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(fileno(err_capture), STDERR_FILENO) < 0) {
        fclose(err_capture);
        err_capture = NULL;
    }
}

static void release_stderr(void)
{
    if (!err_capture) return;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    rewind(err_capture);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, err_capture)) > 0)
        fwrite(buf, 1, n, stderr);
    fclose(err_capture);
    err_capture = NULL;
}

int dl_term_start(dl_theme theme, char *msg, unsigned msglen)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C"); /* numbers in reprs and traces are locale-free */
    const char *cs = nl_langinfo(CODESET);
    glyphs =
        cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) ? &utf8_glyphs : &ascii_glyphs;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(msg, msglen,
                 "the workbench needs a terminal (stdin and stdout must be a tty); "
                 "try `deferlab run FILE` for plain output");
        return -1;
    }
    const char *term = getenv("TERM");
    if (!term || !term[0] || strcmp(term, "dumb") == 0) {
        snprintf(msg, msglen,
                 "the workbench needs a capable terminal (TERM is %s); "
                 "try `deferlab run FILE` for plain output",
                 term && term[0] ? term : "unset");
        return -1;
    }
    SCREEN *s = newterm(NULL, stdout, stdin);
    if (!s) {
        snprintf(msg, msglen, "cannot start the terminal (TERM=%s)", term);
        return -1;
    }
    set_term(s);
    active = true;
    atexit(dl_term_stop);
    install_fatal_handlers();
    current_theme = theme;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    setup_attrs(theme);
    capture_stderr();
    return 0;
}

void dl_term_stop(void)
{
    if (!active) return;
    active = false;
    endwin();
    release_stderr();
}

void dl_term_suspend(void)
{
    if (!active) return;
    def_prog_mode();
    endwin();
}

void dl_term_resume(void)
{
    if (!active) return;
    reset_prog_mode();
    refresh();
}
