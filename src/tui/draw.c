/* draw.c - clipped UTF-8 text, boxes and wrapping. */
#include "tui/draw.h"

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Width and byte length of the character at s. */
static int char_at(const char *s, size_t *bytes)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *bytes = 1;
        return 1;
    }
    *bytes = n;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

/* Control characters never reach the screen: a tab or newline inside a
 * value would move the cursor and break the layout. */
static const char *visible(const char *s, char *buf, size_t n)
{
    bool ascii = !dl_glyph()->utf8;
    size_t i = 0, o = 0;
    bool changed = false;
    while (s[i] && o + 3 < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            buf[o++] = ' ';
            i++;
            changed = true;
        } else if (ascii && c >= 0x80) {
            /* Without UTF-8 a multibyte character would be garbage on screen:
             * the host's anonymous-callback names (λ@12) become fn@12. */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (len == 2 && c == 0xCE && (unsigned char)s[i + 1] == 0xBB) {
                buf[o++] = 'f';
                buf[o++] = 'n';
            } else {
                buf[o++] = '?';
            }
            for (size_t k = 0; k < len && s[i]; k++)
                i++;
            changed = true;
        } else {
            buf[o++] = (char)c;
            i++;
        }
    }
    buf[o] = '\0';
    return changed || s[i] ? buf : s;
}

int dl_text_width(const char *s)
{
    char clean[2048];
    s = visible(s, clean, sizeof clean); /* measure what will be drawn */
    int w = 0;
    while (*s) {
        size_t b;
        w += char_at(s, &b);
        s += b;
    }
    return w;
}

/* Bytes of s that fit in maxw cells, and the cells they take. */
static size_t fit(const char *s, int maxw, int *used)
{
    size_t off = 0;
    int w = 0;
    while (s[off]) {
        size_t b;
        int cw = char_at(s + off, &b);
        if (w + cw > maxw) break;
        w += cw;
        off += b;
    }
    *used = w;
    return off;
}

int dl_put_raw(int y, int x, int maxw, int attr, const char *s)
{
    if (maxw <= 0 || !s) return 0;
    char clean[2048];
    s = visible(s, clean, sizeof clean);
    int used;
    size_t bytes = fit(s, maxw, &used);
    attron(attr);
    mvaddnstr(y, x, s, (int)bytes);
    attroff(attr);
    return used;
}

int dl_put(int y, int x, int maxw, int attr, const char *s)
{
    if (maxw <= 0 || !s) return 0;
    if (dl_text_width(s) <= maxw) return dl_put_raw(y, x, maxw, attr, s);
    const char *ell = dl_glyph()->ellipsis;
    int ew = dl_text_width(ell);
    int used = dl_put_raw(y, x, maxw - ew, attr, s);
    attron(attr);
    mvaddstr(y, x + used, ell);
    attroff(attr);
    return used + ew;
}

void dl_fill(int y, int x, int w, int attr)
{
    if (w <= 0) return;
    attron(attr);
    mvhline(y, x, ' ', w);
    attroff(attr);
}

dl_rect dl_inner(dl_rect r)
{
    dl_rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
    if (in.h < 0) in.h = 0;
    if (in.w < 0) in.w = 0;
    return in;
}

void dl_box(dl_rect r, const char *title, int focused)
{
    if (r.h < 2 || r.w < 2) return;
    const dl_glyphs *g = dl_glyph();
    int a = dl_attr(focused ? DL_C_FOCUS : DL_C_BORDER);
    attron(a);
    for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
        mvaddstr(r.y, x, g->hline);
        mvaddstr(r.y + r.h - 1, x, g->hline);
    }
    for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
        mvaddstr(y, r.x, g->vline);
        mvaddstr(y, r.x + r.w - 1, g->vline);
    }
    mvaddstr(r.y, r.x, g->tl);
    mvaddstr(r.y, r.x + r.w - 1, g->tr);
    mvaddstr(r.y + r.h - 1, r.x, g->bl);
    mvaddstr(r.y + r.h - 1, r.x + r.w - 1, g->br);
    attroff(a);
    if (title && r.w > 6) {
        /* Focus is shown by a marker too, not only by colour. */
        char t[256];
        snprintf(t, sizeof t, focused ? "[ %s ]" : " %s ", title);
        dl_put(r.y, r.x + 2, r.w - 4, a | (focused ? A_BOLD : 0), t);
    }
}

int dl_wrap(const dl_run *runs, size_t nruns, int w, int indent,
            void (*emit)(void *ud, int line, int col, const char *s, size_t len, int attr),
            void *ud)
{
    if (w <= indent + 1) w = indent + 2;
    int line = 0, col = indent;
    bool line_empty = true;
    for (size_t r = 0; r < nruns; r++) {
        const char *s = runs[r].text;
        while (*s) {
            if (*s == '\n') {
                line++;
                col = indent;
                line_empty = true;
                s++;
                continue;
            }
            if (*s == ' ') {
                /* Spaces: kept unless at the start of a wrapped line. */
                if (!line_empty && col < w) {
                    emit(ud, line, col, " ", 1, runs[r].attr);
                    col++;
                }
                s++;
                continue;
            }
            /* A word: up to the next space or newline. */
            size_t len = strcspn(s, " \n");
            int ww = 0;
            for (size_t off = 0; off < len;) {
                size_t b;
                ww += char_at(s + off, &b);
                off += b;
            }
            if (col + ww > w && !line_empty) {
                line++;
                col = indent;
                line_empty = true;
            }
            if (ww > w - indent) {
                /* A word longer than a line: cut it across lines. */
                size_t off = 0;
                while (off < len) {
                    int used;
                    char tmp[512];
                    size_t take = len - off < sizeof tmp - 1 ? len - off : sizeof tmp - 1;
                    memcpy(tmp, s + off, take);
                    tmp[take] = '\0';
                    size_t b = fit(tmp, w - col, &used);
                    if (b == 0) b = 1;
                    emit(ud, line, col, s + off, b, runs[r].attr);
                    off += b;
                    if (off < len) {
                        line++;
                        col = indent;
                    } else {
                        col += used;
                    }
                }
            } else {
                emit(ud, line, col, s, len, runs[r].attr);
                col += ww;
            }
            line_empty = false;
            s += len;
        }
    }
    return line + 1;
}
