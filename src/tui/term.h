/* term.h - the terminal: curses setup, colours, glyphs, safe restore.
 *
 * Colours are semantic (what a thing *is*), mapped by a theme; the mono
 * theme uses only bold / underline / reverse, and every state also has a
 * glyph, so nothing depends on colour alone. Glyphs fall back to ASCII when
 * the locale is not UTF-8.
 *
 * The terminal is restored on every exit path: dl_term_stop is idempotent,
 * registered with atexit, and called from a handler for fatal signals
 * (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) before the signal is re-raised.
 * While curses is up, stderr goes to a temporary file that is printed after
 * the terminal is restored.
 */
#ifndef DL_TUI_TERM_H
#define DL_TUI_TERM_H

#include <stdbool.h>

typedef enum {
    DL_C_NORMAL = 0,
    DL_C_TITLE,  /* title bar */
    DL_C_KEYBAR, /* key bar at the bottom */
    DL_C_KEY,    /* a key name in the key bar / help */
    DL_C_BORDER,
    DL_C_FOCUS, /* border of the focused pane */
    DL_C_DIM,   /* skipped slots, pending things */
    DL_C_HEADING,
    DL_C_EMPH,
    DL_C_CODE, /* inline code / code text */
    DL_C_LINENO,
    DL_C_CURRENT,  /* the line / event / pair at the cursor */
    DL_C_CALLBACK, /* the callback track */
    DL_C_ERRBACK,  /* the errback track */
    DL_C_OK,       /* success results */
    DL_C_FAIL,     /* failures, raised */
    DL_C_WAIT,     /* waiting, paused */
    DL_C_NOTE,
    DL_C_PROMPT,
    DL_C__COUNT
} dl_color;

typedef enum { DL_THEME_DARK, DL_THEME_LIGHT, DL_THEME_MONO } dl_theme;

typedef struct dl_glyphs {
    const char *ran, *raised, *skipped, *next, *running, *waiting, *token, *pass;
    const char *vline, *hline, *tl, *tr, *bl, *br, *tee_down, *tee_up, *cross;
    const char *arrow, *bolt, *done, *todo, *star, *nostar, *ellipsis;
    bool utf8;
} dl_glyphs;

/* Start curses on the controlling terminal. Returns 0, or -1 with a reason
 * (no terminal, TERM unusable) in msg. */
int dl_term_start(dl_theme theme, char *msg, unsigned msglen);
/* Restore the terminal and print what went to stderr meanwhile. Safe to call
 * twice and after a failed start. */
void dl_term_stop(void);
bool dl_term_active(void);
/* Suspend for an external program ($EDITOR) and come back. */
void dl_term_suspend(void);
void dl_term_resume(void);

/* The attribute (colour pair + style) for a semantic colour. */
int dl_attr(dl_color c);
const dl_glyphs *dl_glyph(void);
/* Choose the glyph set without starting a terminal (headless rendering). */
void dl_term_use_glyphs(bool utf8);
/* Pick the theme from flags and the environment: --color=never or NO_COLOR
 * (non-empty) give mono; always/auto give dark unless want says light. */
dl_theme dl_theme_choose(const char *color_flag, const char *theme_flag);

#endif
