/* doc.c - Markdown files as blocks (md4c) with front matter and line numbers. */
#include "lesson/doc.h"

#include <errno.h>
#include <md4c.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ===================================================================== */
/* Diagnostics                                                           */
/* ===================================================================== */

void dl_diags_add(dl_diags *d, const char *path, int line, const char *fmt, ...)
{
    char msg[512], full[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(full, sizeof full, "%s:%d: %s", path, line, msg);
    else
        snprintf(full, sizeof full, "%s: %s", path, msg);
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        char **m = realloc(d->msgs, cap * sizeof *m);
        if (!m) return;
        d->msgs = m;
        d->cap = cap;
    }
    char *copy = strdup(full);
    if (copy) d->msgs[d->len++] = copy;
}

void dl_diags_free(dl_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        free(d->msgs[i]);
    free(d->msgs);
    d->msgs = NULL;
    d->len = d->cap = 0;
}

/* ===================================================================== */
/* Small string helpers                                                  */
/* ===================================================================== */

static char *dup_range(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

static char *dup_trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    /* A value may be quoted: "a: b" keeps its colon. */
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\'')))
        s++, n -= 2;
    return dup_range(s, n);
}

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static bool buf_add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) return false;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return true;
}

/* Line number (1-based) of offset off in text. */
static int line_at(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') line++;
    return line;
}

/* ===================================================================== */
/* Input checks                                                          */
/* ===================================================================== */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t len = (s[0] & 0xE0) == 0xC0   ? 2
                 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (!len || len > n || (len == 2 && s[0] < 0xC2)) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

static bool check_text(const char *path, const char *text, size_t len, dl_diags *diags)
{
    if (len > DL_DOC_MAX_BYTES) {
        dl_diags_add(diags, path, 0, "file too large (%.1f MiB; the limit is %d MiB)",
                     len / (1024.0 * 1024.0), DL_DOC_MAX_BYTES / (1024 * 1024));
        return false;
    }
    for (size_t i = 0; i < len;) {
        if (text[i] == '\0') {
            dl_diags_add(diags, path, line_at(text, i), "not a text file (NUL byte)");
            return false;
        }
        size_t n = utf8_len((const unsigned char *)text + i, len - i);
        if (!n) {
            dl_diags_add(diags, path, line_at(text, i), "not valid UTF-8 (byte 0x%02x)",
                         (unsigned char)text[i]);
            return false;
        }
        i += n;
    }
    return true;
}

/* ===================================================================== */
/* Front matter                                                          */
/* ===================================================================== */

const dl_fm_entry *dl_fm_get(const dl_frontmatter *fm, const char *key)
{
    for (size_t i = 0; i < fm->len; i++)
        if (strcmp(fm->entries[i].key, key) == 0) return &fm->entries[i];
    return NULL;
}

static void fm_free(dl_frontmatter *fm)
{
    for (size_t i = 0; i < fm->len; i++) {
        dl_fm_entry *e = &fm->entries[i];
        free(e->key);
        free(e->value);
        for (size_t j = 0; j < e->nitems; j++)
            free(e->items[j]);
        free(e->items);
    }
    free(fm->entries);
}

static bool fm_push_item(dl_fm_entry *e, const char *s, size_t n)
{
    char **items = realloc(e->items, (e->nitems + 1) * sizeof *items);
    if (!items) return false;
    e->items = items;
    e->items[e->nitems] = dup_trimmed(s, n);
    return e->items[e->nitems++] != NULL;
}

static bool is_rule_line(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return n == 3 && memcmp(s, "---", 3) == 0;
}

/* Parse the front matter at the top of text. Returns the offset where the
 * Markdown body starts (0 when there is none), or -1 on error. */
static long parse_frontmatter(const char *path, const char *text, size_t len, dl_frontmatter *fm,
                              dl_diags *diags)
{
    const char *eol = memchr(text, '\n', len);
    size_t first = eol ? (size_t)(eol - text) : len;
    if (!is_rule_line(text, first)) return 0;
    size_t pos = eol ? first + 1 : len;
    int line = 2;
    dl_fm_entry *cur = NULL;
    /* Find the closing --- first: without it, every later line would look
     * like a broken key, and "never closed" is the useful message. */
    bool closed = false;
    for (size_t p = pos; p < len && !closed;) {
        const char *e = memchr(text + p, '\n', len - p);
        size_t n = e ? (size_t)(e - (text + p)) : len - p;
        closed = is_rule_line(text + p, n);
        p = e ? p + n + 1 : len;
    }
    if (!closed) {
        dl_diags_add(diags, path, 1, "front matter opened here is never closed with ---");
        return -1;
    }
    while (pos < len) {
        const char *s = text + pos;
        const char *e = memchr(s, '\n', len - pos);
        size_t n = e ? (size_t)(e - s) : len - pos;
        size_t next = e ? pos + n + 1 : len;
        if (is_rule_line(s, n)) {
            fm->end_line = line;
            return (long)next;
        }
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n || s[i] == '#' || s[i] == '\r') {
            /* blank or comment */
        } else if (s[i] == '-' && i > 0 && cur && cur->is_list) {
            if (!fm_push_item(cur, s + i + 1, n - i - 1)) goto oom;
        } else if (i == 0) {
            const char *colon = memchr(s, ':', n);
            if (!colon) {
                dl_diags_add(diags, path, line, "front matter: expected `key: value`");
                return -1;
            }
            dl_fm_entry *entries = realloc(fm->entries, (fm->len + 1) * sizeof *entries);
            if (!entries) goto oom;
            fm->entries = entries;
            cur = &fm->entries[fm->len++];
            memset(cur, 0, sizeof *cur);
            cur->line = line;
            cur->key = dup_trimmed(s, (size_t)(colon - s));
            size_t vlen = n - (size_t)(colon - s) - 1;
            char *v = dup_trimmed(colon + 1, vlen);
            if (!cur->key || !v) {
                free(v);
                goto oom;
            }
            if (v[0] == '[') {
                /* Inline list: [a, b, c] */
                size_t vl = strlen(v);
                cur->is_list = true;
                if (v[vl - 1] != ']') {
                    free(v);
                    dl_diags_add(diags, path, line,
                                 "front matter: list for `%s` is not closed with ]", cur->key);
                    return -1;
                }
                const char *p = v + 1, *end = v + vl - 1;
                while (p < end) {
                    const char *comma = memchr(p, ',', (size_t)(end - p));
                    const char *stop = comma ? comma : end;
                    size_t ilen = (size_t)(stop - p);
                    char *probe = dup_trimmed(p, ilen);
                    bool empty = probe && !probe[0];
                    free(probe);
                    if (!empty && !fm_push_item(cur, p, ilen)) {
                        free(v);
                        goto oom;
                    }
                    p = comma ? comma + 1 : end;
                }
                free(v);
            } else if (!v[0]) {
                cur->is_list = true; /* `key:` then `- item` lines */
                free(v);
            } else {
                cur->value = v;
            }
        } else {
            dl_diags_add(diags, path, line, "front matter: unexpected indented line");
            return -1;
        }
        pos = next;
        line++;
    }
    return -1; /* not reached: the closing line was found above */
oom:
    dl_diags_add(diags, path, line, "out of memory");
    return -1;
}

/* ===================================================================== */
/* Blocks from md4c                                                      */
/* ===================================================================== */

typedef struct parse_ctx {
    dl_doc *doc;
    const char *text; /* the whole file */
    size_t len;
    unsigned style;
    int quote_depth;
    int list_depth;
    struct {
        bool ordered;
        unsigned next;
    } lists[16];
    dl_block *cur;   /* block receiving text, or NULL */
    bool item_fresh; /* cur is a list item that has no paragraph yet */
    buf code;
    bool oom;
} parse_ctx;

static dl_block *new_block(parse_ctx *c, dl_block_kind kind, int level)
{
    dl_doc *doc = c->doc;
    dl_block *b = realloc(doc->blocks, (doc->nblocks + 1) * sizeof *b);
    if (!b) {
        c->oom = true;
        return NULL;
    }
    doc->blocks = b;
    b = &doc->blocks[doc->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->level = level;
    return b;
}

/* Line of a pointer into the file, when md4c handed us one (it does for
 * most text: it slices the input rather than copying). */
static int line_of_ptr(parse_ctx *c, const char *p)
{
    if (p >= c->text && p < c->text + c->len) return line_at(c->text, (size_t)(p - c->text));
    return 0;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    parse_ctx *c = ud;
    switch (type) {
    case MD_BLOCK_QUOTE:
        c->quote_depth++;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (c->list_depth < 16) {
            c->lists[c->list_depth].ordered = type == MD_BLOCK_OL;
            c->lists[c->list_depth].next =
                type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
        }
        c->list_depth++;
        break;
    case MD_BLOCK_LI: {
        dl_block *b = new_block(c, DL_BLOCK_ITEM, c->list_depth);
        if (!b) return 1;
        int d = c->list_depth - 1;
        if (d >= 0 && d < 16 && c->lists[d].ordered)
            snprintf(b->bullet, sizeof b->bullet, "%u.", c->lists[d].next++);
        else
            snprintf(b->bullet, sizeof b->bullet, "-");
        c->cur = b;
        c->item_fresh = true;
        break;
    }
    case MD_BLOCK_P:
        if (c->item_fresh && c->cur) {
            c->item_fresh = false; /* the item's first paragraph is the item */
            break;
        }
        c->cur = new_block(c, c->quote_depth ? DL_BLOCK_QUOTE : DL_BLOCK_PARA,
                           c->quote_depth ? c->quote_depth : c->list_depth);
        if (!c->cur) return 1;
        break;
    case MD_BLOCK_H:
        c->cur = new_block(c, DL_BLOCK_HEADING, (int)((MD_BLOCK_H_DETAIL *)detail)->level);
        if (!c->cur) return 1;
        break;
    case MD_BLOCK_CODE: {
        MD_BLOCK_CODE_DETAIL *cd = detail;
        c->item_fresh = false;
        c->cur = new_block(c, DL_BLOCK_CODE, c->list_depth);
        if (!c->cur) return 1;
        c->cur->info = dup_trimmed(cd->info.text ? cd->info.text : "", cd->info.size);
        c->cur->closed = true;
        c->code.len = 0;
        if (c->code.s) c->code.s[0] = '\0';
        break;
    }
    case MD_BLOCK_HR:
        if (!new_block(c, DL_BLOCK_RULE, 0)) return 1;
        break;
    default:
        break;
    }
    return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    (void)detail;
    parse_ctx *c = ud;
    switch (type) {
    case MD_BLOCK_QUOTE:
        c->quote_depth--;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        c->list_depth--;
        break;
    case MD_BLOCK_LI:
        c->item_fresh = false;
        c->cur = NULL;
        break;
    case MD_BLOCK_CODE:
        if (c->cur) {
            /* md4c gives the code with a final newline; drop it. */
            size_t n = c->code.len;
            if (n && c->code.s[n - 1] == '\n') n--;
            c->cur->code = dup_range(c->code.s ? c->code.s : "", n);
            if (!c->cur->code) c->oom = true;
        }
        c->cur = NULL;
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_H:
        c->cur = NULL;
        break;
    default:
        break;
    }
    return c->oom;
}

static unsigned span_style(MD_SPANTYPE type)
{
    switch (type) {
    case MD_SPAN_EM:
        return DL_STYLE_EM;
    case MD_SPAN_STRONG:
        return DL_STYLE_STRONG;
    case MD_SPAN_CODE:
        return DL_STYLE_CODE;
    case MD_SPAN_A:
        return DL_STYLE_LINK;
    default:
        return 0;
    }
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    (void)detail;
    ((parse_ctx *)ud)->style |= span_style(type);
    return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
    (void)detail;
    ((parse_ctx *)ud)->style &= ~span_style(type);
    return 0;
}

static void add_span(parse_ctx *c, dl_block *b, const char *s, size_t n)
{
    /* Merge with the previous span when the style is the same. */
    if (b->nspans && b->spans[b->nspans - 1].style == c->style) {
        dl_span *sp = &b->spans[b->nspans - 1];
        size_t old = strlen(sp->text);
        char *t = realloc(sp->text, old + n + 1);
        if (!t) {
            c->oom = true;
            return;
        }
        memcpy(t + old, s, n);
        t[old + n] = '\0';
        sp->text = t;
        return;
    }
    dl_span *spans = realloc(b->spans, (b->nspans + 1) * sizeof *spans);
    if (!spans) {
        c->oom = true;
        return;
    }
    b->spans = spans;
    spans[b->nspans].style = c->style;
    spans[b->nspans].text = dup_range(s, n);
    if (!spans[b->nspans].text)
        c->oom = true;
    else
        b->nspans++;
}

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ud)
{
    parse_ctx *c = ud;
    dl_block *b = c->cur;
    if (!b) {
        /* Text outside any block we track (tables, HTML): keep it as a paragraph. */
        b = c->cur = new_block(c, DL_BLOCK_PARA, 0);
        if (!b) return 1;
    }
    if (!b->line) b->line = line_of_ptr(c, text);
    if (b->kind == DL_BLOCK_CODE) {
        if (!b->code_line) b->code_line = line_of_ptr(c, text);
        if (!buf_add(&c->code, text, size)) c->oom = true;
        return c->oom;
    }
    switch (type) {
    case MD_TEXT_SOFTBR:
        add_span(c, b, " ", 1);
        break;
    case MD_TEXT_BR:
        add_span(c, b, "\n", 1);
        break;
    case MD_TEXT_NULLCHAR:
        add_span(c, b, "\xEF\xBF\xBD", 3);
        break;
    case MD_TEXT_ENTITY:
        /* The common entities; anything else is shown as written. */
        if (size == 5 && memcmp(text, "&amp;", 5) == 0)
            add_span(c, b, "&", 1);
        else if (size == 4 && memcmp(text, "&lt;", 4) == 0)
            add_span(c, b, "<", 1);
        else if (size == 4 && memcmp(text, "&gt;", 4) == 0)
            add_span(c, b, ">", 1);
        else if (size == 6 && memcmp(text, "&quot;", 6) == 0)
            add_span(c, b, "\"", 1);
        else if (size == 6 && memcmp(text, "&nbsp;", 6) == 0)
            add_span(c, b, " ", 1);
        else
            add_span(c, b, text, size);
        break;
    default:
        add_span(c, b, text, size);
        break;
    }
    return c->oom;
}

/* md4c does not report unclosed fences (the block runs to the end of the
 * file). Scan fences ourselves so the message can name the line. */
static void check_fences(const char *path, const char *text, size_t len, size_t start,
                         dl_diags *diags, int *unclosed_line)
{
    int line = line_at(text, start);
    char fence_ch = 0;
    size_t fence_len = 0;
    int open_line = 0;
    for (size_t pos = start; pos < len; line++) {
        const char *s = text + pos;
        const char *e = memchr(s, '\n', len - pos);
        size_t n = e ? (size_t)(e - s) : len - pos;
        size_t i = 0;
        while (i < n && i < 4 && s[i] == ' ')
            i++;
        if (i < 4 && i < n && (s[i] == '`' || s[i] == '~')) {
            char ch = s[i];
            size_t run = 0;
            while (i + run < n && s[i + run] == ch)
                run++;
            if (run >= 3) {
                if (!fence_ch) {
                    fence_ch = ch;
                    fence_len = run;
                    open_line = line;
                } else if (ch == fence_ch && run >= fence_len) {
                    size_t k = i + run;
                    while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
                        k++;
                    if (k == n) fence_ch = 0;
                }
            }
        }
        pos = e ? pos + n + 1 : len;
    }
    if (fence_ch) {
        dl_diags_add(diags, path, open_line, "code fence opened here is never closed");
        *unclosed_line = open_line;
    }
}

dl_doc *dl_doc_parse(const char *path, const char *text, size_t len, dl_diags *diags)
{
    size_t before = diags->len;
    if (!check_text(path, text, len, diags)) return NULL;
    dl_doc *doc = calloc(1, sizeof *doc);
    if (!doc) return NULL;
    doc->path = strdup(path);
    long body = parse_frontmatter(path, text, len, &doc->fm, diags);
    if (body < 0 || !doc->path) goto fail;
    int unclosed = 0;
    check_fences(path, text, len, (size_t)body, diags, &unclosed);
    if (unclosed) goto fail;

    parse_ctx c = {.doc = doc, .text = text, .len = len};
    MD_PARSER parser = {0};
    parser.abi_version = 0;
    parser.flags = MD_FLAG_NOHTML;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text_cb;
    int rc = md_parse(text + body, (MD_SIZE)(len - (size_t)body), &parser, &c);
    free(c.code.s);
    if (rc != 0 || c.oom) {
        dl_diags_add(diags, path, 0, c.oom ? "out of memory" : "could not parse the Markdown");
        goto fail;
    }
    /* Blocks whose text md4c copied (no pointer into the file) inherit the
     * line of the block before them: close enough to point a reader there. */
    for (size_t i = 0; i < doc->nblocks; i++) {
        dl_block *b = &doc->blocks[i];
        if (!b->line) b->line = i ? doc->blocks[i - 1].line : doc->fm.end_line + 1;
        if (b->kind == DL_BLOCK_CODE && !b->code_line) b->code_line = b->line;
        if (b->kind == DL_BLOCK_CODE && b->line == b->code_line && b->line > 1) b->line--;
    }
    return doc;
fail:
    (void)before;
    dl_doc_free(doc);
    return NULL;
}

dl_doc *dl_doc_load(const char *path, dl_diags *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        dl_diags_add(diags, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    dl_doc *doc = NULL;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > (size_t)DL_DOC_MAX_BYTES * 2) {
                dl_diags_add(diags, path, 0, "file too large (over %d MiB; the limit is %d MiB)",
                             DL_DOC_MAX_BYTES * 2 / (1024 * 1024),
                             DL_DOC_MAX_BYTES / (1024 * 1024));
                goto done;
            }
            char *t = realloc(text, cap);
            if (!t) {
                dl_diags_add(diags, path, 0, "out of memory");
                goto done;
            }
            text = t;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) {
        dl_diags_add(diags, path, 0, "read error: %s", strerror(errno));
        goto done;
    }
    doc = dl_doc_parse(path, text ? text : "", len, diags);
done:
    fclose(f);
    free(text);
    return doc;
}

void dl_doc_free(dl_doc *doc)
{
    if (!doc) return;
    for (size_t i = 0; i < doc->nblocks; i++) {
        dl_block *b = &doc->blocks[i];
        for (size_t j = 0; j < b->nspans; j++)
            free(b->spans[j].text);
        free(b->spans);
        free(b->info);
        free(b->code);
    }
    free(doc->blocks);
    fm_free(&doc->fm);
    free(doc->path);
    free(doc);
}

char *dl_block_text(const dl_block *b)
{
    buf out = {0};
    for (size_t i = 0; i < b->nspans; i++)
        if (!buf_add(&out, b->spans[i].text, strlen(b->spans[i].text))) break;
    return out.s ? out.s : strdup("");
}

void dl_doc_check_fences(const dl_doc *doc, dl_diags *diags)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        const dl_block *b = &doc->blocks[i];
        /* A refused fence line stays literal text: its paragraph starts with
         * the three backticks themselves (they cannot open a code span,
         * because the closing fence line ends the paragraph first). */
        if (b->kind != DL_BLOCK_PARA || !b->nspans || b->spans[0].style & DL_STYLE_CODE) continue;
        if (strncmp(b->spans[0].text, "```", 3) == 0)
            dl_diags_add(diags, doc->path, b->line,
                         "this looks like a code fence but is not one: a ``` fence's info "
                         "string cannot contain a backtick");
    }
}

const char *dl_fm_scalar(const dl_doc *doc, const char *key, dl_diags *diags)
{
    const dl_fm_entry *e = dl_fm_get(&doc->fm, key);
    if (!e || e->is_list || !e->value || !e->value[0]) {
        dl_diags_add(diags, doc->path, e ? e->line : 1, "front matter needs `%s: ...`", key);
        return NULL;
    }
    return e->value;
}

void dl_path_stem(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t len = strlen(b);
    if (len > 3 && strcmp(b + len - 3, ".md") == 0) len -= 3;
    if (len >= n) len = n - 1;
    memcpy(out, b, len);
    out[len] = '\0';
}
