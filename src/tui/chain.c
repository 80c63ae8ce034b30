/* chain.c - the two-track diagram, from the trace model only. */
#include "tui/chain.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"

static void name_of(const dl_model *m, uint32_t id, char *buf, size_t n)
{
    const dl_model_deferred *d = dl_model_find_deferred(m, id);
    if (d)
        dl_model_deferred_name(d, buf, n);
    else
        snprintf(buf, n, "d#%u", (unsigned)id);
}

/* Cut s to at most w display cells, ending in an ellipsis when cut. */
static void clip(char *s, int w)
{
    if (w <= 0) {
        s[0] = '\0';
        return;
    }
    /* Plain ASCII (most names and reprs) takes one cell per byte, control
     * characters included (they are drawn as spaces), so it is measured and
     * cut without decoding a character at a time. */
    size_t len = 0;
    while (s[len] && (unsigned char)s[len] < 0x80)
        len++;
    bool ascii = !s[len] && len < 1024; /* dl_text_width measures at most 2045 bytes */
    if (ascii ? len <= (size_t)w : dl_text_width(s) <= w) return;
    const char *ell = dl_glyph()->ellipsis;
    int ew = dl_text_width(ell);
    if (ascii) {
        size_t off = w > ew ? (size_t)(w - ew) : 0;
        snprintf(s + off, strlen(ell) + 1, "%s", ell);
        return;
    }
    /* Walk characters until the budget (minus the ellipsis) is spent. */
    size_t off = 0;
    int used = 0;
    while (s[off]) {
        char one[8] = {0};
        size_t b = 1;
        unsigned char c = (unsigned char)s[off];
        if (c >= 0xF0)
            b = 4;
        else if (c >= 0xE0)
            b = 3;
        else if (c >= 0xC0)
            b = 2;
        memcpy(one, s + off, b);
        int cw = dl_text_width(one);
        if (used + cw > w - ew) break;
        used += cw;
        off += b;
    }
    snprintf(s + off, strlen(ell) + 1, "%s", ell);
}

static int track_of_kind(int kind)
{
    return kind == DL_FAILURE ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK;
}

typedef struct layout {
    int w, cw, left, right; /* widths; start columns of the two tracks */
    int div;                /* the column of the divider between the tracks */
    dl_emit_fn emit;
    void *ud;
    int line;
} layout;

static void cell(layout *L, int track, const char *token, dl_color tcolor, const char *glyph,
                 dl_color gcolor, const char *text, dl_color color)
{
    int col = track == DL_SLOT_CALLBACK ? L->left : L->right;
    int avail = L->cw;
    if (token) L->emit(L->ud, L->line, col, token, tcolor);
    col += 2;
    avail -= 2;
    if (glyph) {
        L->emit(L->ud, L->line, col, glyph, gcolor);
        col += 2;
        avail -= 2;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    clip(buf, avail);
    L->emit(L->ud, L->line, col, buf, color);
}

static void divider(layout *L)
{
    L->emit(L->ud, L->line, L->div, dl_glyph()->vline, DL_C_BORDER);
}

/* The connector row drawn where the result crosses tracks. */
static void crossing(layout *L, int from)
{
    const dl_glyphs *g = dl_glyph();
    int a = L->left, b = L->right;
    L->emit(L->ud, L->line, a, from == DL_SLOT_CALLBACK ? g->bl : g->tl, DL_C_FAIL);
    for (int x = a + 1; x < b; x++)
        L->emit(L->ud, L->line, x, x == L->div ? g->cross : g->hline,
                from == DL_SLOT_CALLBACK ? DL_C_FAIL : DL_C_OK);
    L->emit(L->ud, L->line, b, from == DL_SLOT_CALLBACK ? g->tr : g->br,
            from == DL_SLOT_CALLBACK ? DL_C_FAIL : DL_C_OK);
    L->line++;
}

static void header(layout *L, const dl_model *m, const dl_model_deferred *d, int current)
{
    const dl_glyphs *g = dl_glyph();
    char name[96], other[96], text[512];
    dl_model_deferred_name(d, name, sizeof name);
    int col = 0;
    if (current) L->emit(L->ud, L->line, col, g->next, DL_C_CURRENT);
    col = 2;
    L->emit(L->ud, L->line, col, name, DL_C_HEADING);
    col += dl_text_width(name) + 1;
    if (d->cls && strcmp(d->cls, "Deferred") != 0) {
        snprintf(text, sizeof text, "(%s)", d->cls);
        L->emit(L->ud, L->line, col, text, DL_C_DIM);
        col += dl_text_width(text) + 1;
    }
    const char *glyph;
    dl_color color;
    switch (d->state) {
    case DL_MD_UNFIRED:
        glyph = g->todo;
        color = DL_C_DIM;
        snprintf(text, sizeof text, "unfired");
        break;
    case DL_MD_SUCCESS:
        glyph = g->ran;
        color = DL_C_OK;
        snprintf(text, sizeof text, "result: %s", d->result ? d->result : "?");
        break;
    case DL_MD_FAILURE:
        glyph = g->raised;
        color = DL_C_FAIL;
        snprintf(text, sizeof text, "failed: %s", d->result ? d->result : "?");
        break;
    default:
        glyph = g->waiting;
        color = DL_C_WAIT;
        name_of(m, d->waiting_on, other, sizeof other);
        snprintf(text, sizeof text, "waiting on %s", other);
        break;
    }
    L->emit(L->ud, L->line, col, glyph, color);
    col += 2;
    size_t used = strlen(text);
    int extra_paused = d->paused - (d->state == DL_MD_WAITING ? 1 : 0);
    if (extra_paused != 0)
        used += (size_t)snprintf(text + used, sizeof text - used, "  %s paused %d", g->waiting,
                                 d->paused);
    if (d->cancelled) used += (size_t)snprintf(text + used, sizeof text - used, "  cancelled");
    if (d->unhandled)
        used += (size_t)snprintf(text + used, sizeof text - used, "  %s UNHANDLED", g->bolt);
    clip(text, L->w - col);
    L->emit(L->ud, L->line, col, text, color);
    L->line++;
    /* Links: chainDeferred both ways, latest notice. */
    size_t nch = dl_model_chained_count(d);
    if (nch || d->chained_from) {
        used = 0;
        text[0] = '\0';
        if (d->chained_from) {
            name_of(m, d->chained_from, other, sizeof other);
            used += (size_t)snprintf(text, sizeof text, "chained from %s  ", other);
        }
        if (nch) {
            used += (size_t)snprintf(text + used, sizeof text - used, "chainDeferred %s", g->arrow);
            for (size_t k = 0; k < nch && used < sizeof text - 100; k++) {
                name_of(m, dl_model_chained_at(d, k), other, sizeof other);
                used += (size_t)snprintf(text + used, sizeof text - used, " %s", other);
            }
        }
        clip(text, L->w - 4);
        L->emit(L->ud, L->line, 4, text, DL_C_NOTE);
        L->line++;
    }
    if (d->notice) {
        snprintf(text, sizeof text, "%s %s", g->bolt, d->notice);
        clip(text, L->w - 4);
        L->emit(L->ud, L->line, 4, text, DL_C_WAIT);
        L->line++;
    }
}

int dl_chain_draw(const dl_model *m, const dl_model_deferred *d, int w, int current,
                  dl_emit_fn emit, void *ud)
{
    const dl_glyphs *g = dl_glyph();
    layout L = {.w = w, .emit = emit, .ud = ud};
    /* [token][glyph] text ... | [token][glyph] text ... */
    L.cw = (w - 4) / 2;
    L.left = 1;
    L.div = L.left + L.cw + 1;
    L.right = L.div + 2;
    header(&L, m, d, current);
    size_t npairs = dl_model_pair_count(d);
    if (npairs == 0 && d->state == DL_MD_UNFIRED) return L.line;

    /* Track titles. */
    emit(ud, L.line, L.left + 2, "callback", DL_C_CALLBACK);
    divider(&L);
    emit(ud, L.line, L.right + 2, "errback", DL_C_ERRBACK);
    L.line++;

    bool next_marked = false;
    char text[512], other[96];
    for (size_t k = 0; k < npairs; k++) {
        const dl_model_pair *p = dl_model_pair_at(d, k);
        if (p->cont) {
            name_of(m, p->cont, other, sizeof other);
            bool done = p->status != DL_MP_PENDING;
            if (done)
                snprintf(text, sizeof text, "#%u continuation: result handed %s %s",
                         (unsigned)p->index, g->arrow, other);
            else
                snprintf(text, sizeof text, "#%u continuation: the result will go %s %s",
                         (unsigned)p->index, g->arrow, other);
            int track = p->slot >= 0
                            ? p->slot
                            : (d->result_kind == DL_FAILURE ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK);
            L.cw = w - 2; /* spans both tracks */
            int saved_right = L.right;
            L.right = L.left;
            cell(&L, track == DL_SLOT_ERRBACK ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK,
                 done ? g->token : " ", DL_C_WAIT, done ? g->ran : g->waiting, DL_C_WAIT, text,
                 done ? DL_C_NORMAL : DL_C_WAIT);
            L.right = saved_right;
            L.cw = (w - 4) / 2;
            L.line++;
            continue;
        }
        const char *names[2] = {p->cb, p->eb};
        if (p->status == DL_MP_PENDING) {
            /* Which track would run next? Only for the first pending pair of
             * a fired, unpaused, non-waiting Deferred. */
            int next_track = -1;
            if (!next_marked && d->state != DL_MD_UNFIRED && d->state != DL_MD_WAITING &&
                d->paused == 0) {
                next_track = d->state == DL_MD_FAILURE ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK;
                next_marked = true;
            }
            for (int t = 0; t < 2; t++) {
                bool is_next = t == next_track;
                snprintf(text, sizeof text, "#%u %s", (unsigned)p->index, names[t]);
                cell(&L, t, is_next ? g->next : " ", DL_C_CURRENT, g->skipped, DL_C_DIM, text,
                     is_next ? DL_C_EMPH : DL_C_DIM);
            }
            divider(&L);
            L.line++;
            continue;
        }
        int t = p->slot >= 0 ? p->slot : DL_SLOT_CALLBACK;
        int other_t = 1 - t;
        snprintf(text, sizeof text, "#%u %s", (unsigned)p->index, names[other_t]);
        cell(&L, other_t, NULL, DL_C_DIM, g->skipped, DL_C_DIM, text, DL_C_DIM);
        dl_color track_color = t == DL_SLOT_CALLBACK ? DL_C_CALLBACK : DL_C_ERRBACK;
        int out_track = t;
        if (p->status == DL_MP_PASSED) {
            snprintf(text, sizeof text, "#%u no %s: passes", (unsigned)p->index,
                     t == DL_SLOT_CALLBACK ? "callback" : "errback");
            cell(&L, t, g->pass, track_color, g->skipped, DL_C_DIM, text, DL_C_DIM);
        } else if (p->status == DL_MP_RUNNING) {
            snprintf(text, sizeof text, "#%u %s(%s) running", (unsigned)p->index, names[t],
                     p->input ? p->input : "");
            cell(&L, t, g->token, track_color, g->running, DL_C_CURRENT, text, DL_C_EMPH);
        } else {
            bool to_deferred = p->out_kind == DL_DEFERRED;
            out_track = p->raised ? DL_SLOT_ERRBACK : to_deferred ? t : track_of_kind(p->out_kind);
            bool failed = out_track == DL_SLOT_ERRBACK;
            snprintf(text, sizeof text, "#%u %s %s %s %s", (unsigned)p->index, names[t],
                     p->input ? p->input : "?", p->raised ? g->bolt : g->arrow,
                     p->output ? p->output : "?");
            cell(&L, t, g->token, track_color, failed && t == DL_SLOT_CALLBACK ? g->raised : g->ran,
                 failed ? DL_C_FAIL : DL_C_OK, text, DL_C_NORMAL);
        }
        divider(&L);
        L.line++;
        if (out_track != t) crossing(&L, t);
    }
    /* Where the result is now. */
    if (d->state == DL_MD_SUCCESS || d->state == DL_MD_FAILURE) {
        int t = d->state == DL_MD_FAILURE ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK;
        snprintf(text, sizeof text, "= %s", d->result ? d->result : "?");
        cell(&L, t, g->token, t == DL_SLOT_CALLBACK ? DL_C_CALLBACK : DL_C_ERRBACK, NULL,
             DL_C_NORMAL, text, t == DL_SLOT_CALLBACK ? DL_C_OK : DL_C_FAIL);
        L.line++;
    } else if (d->state == DL_MD_WAITING) {
        name_of(m, d->waiting_on, other, sizeof other);
        snprintf(text, sizeof text, "waiting on %s (paused %d)", other, d->paused);
        cell(&L, DL_SLOT_CALLBACK, g->waiting, DL_C_WAIT, NULL, DL_C_WAIT, text, DL_C_WAIT);
        L.line++;
    }
    return L.line;
}

int dl_structure_draw(const dl_model *m, const dl_model_structure *s, int w, dl_emit_fn emit,
                      void *ud)
{
    (void)m;
    char text[512];
    snprintf(text, sizeof text, "%s%s%s", s->cls ? s->cls : "structure", s->label ? " " : "",
             s->label ? s->label : "");
    clip(text, w - 2);
    emit(ud, 0, 2, text, DL_C_HEADING);
    int line = 1;
    for (uint32_t i = 0; i < s->nkv; i++) {
        snprintf(text, sizeof text, "%s: %s", s->kv[i].key, s->kv[i].repr);
        clip(text, w - 4);
        emit(ud, line++, 4, text, DL_C_NORMAL);
    }
    return line;
}
