/* draw.h - drawing primitives over curses: clipped UTF-8 text, boxes,
 * word-wrapped styled text. Coordinates are screen cells. */
#ifndef DL_TUI_DRAW_H
#define DL_TUI_DRAW_H

#include <stddef.h>

#include "tui/term.h"

typedef struct dl_rect {
    int y, x, h, w;
} dl_rect;

/* Display width of s (UTF-8; unknown characters count as 1). */
int dl_text_width(const char *s);
/* Draw s at (y, x) in at most maxw cells with attr. When s is too wide it is
 * cut and ends with an ellipsis. Returns the cells used. */
int dl_put(int y, int x, int maxw, int attr, const char *s);
/* Like dl_put but cuts without an ellipsis. */
int dl_put_raw(int y, int x, int maxw, int attr, const char *s);
/* Blank w cells at (y, x). */
void dl_fill(int y, int x, int w, int attr);
/* A rounded box around r with an optional title; focused boxes stand out. */
void dl_box(dl_rect r, const char *title, int focused);
/* The inside of a box. */
dl_rect dl_inner(dl_rect r);

/* Word wrapping. A styled run of text: */
typedef struct dl_run {
    const char *text;
    int attr;
} dl_run;
/* Lay runs out in lines of width w, calling emit for each segment with its
 * line number (0-based), column, text (not NUL-terminated: len bytes) and
 * attribute. "\n" in a run forces a break. Returns the number of lines. */
int dl_wrap(const dl_run *runs, size_t nruns, int w, int indent,
            void (*emit)(void *ud, int line, int col, const char *s, size_t len, int attr),
            void *ud);

#endif
