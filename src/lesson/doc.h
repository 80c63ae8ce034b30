/* doc.h - a Markdown file as blocks of styled text, plus its front matter.
 *
 * Lessons and challenges are CommonMark files (parsed with md4c) that start
 * with a front-matter block:
 *
 *     ---
 *     id: 04-returning-deferreds
 *     requires: [01-first-class-calls]
 *     hints:
 *       - first hint
 *       - second hint
 *     ---
 *
 * dl_doc_parse turns the rest into a flat list of blocks (paragraphs,
 * headings, list items, quotes, fenced code with its info string), each with
 * the 1-based line of the .md file it starts on, so every later message can
 * name file:line. Nothing here knows what a lesson is.
 */
#ifndef DL_DOC_H
#define DL_DOC_H

#include <stdbool.h>
#include <stddef.h>

/* Problems found while reading a file: "path:line: message" strings. */
typedef struct dl_diags {
    char **msgs;
    size_t len, cap;
} dl_diags;

void dl_diags_add(dl_diags *d, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void dl_diags_free(dl_diags *d);

/* ---- front matter ------------------------------------------------------ */

typedef struct dl_fm_entry {
    char *key;
    char *value;  /* scalar value (trimmed), or NULL for a list */
    char **items; /* list items, for `[a, b]` or `- item` lines */
    size_t nitems;
    bool is_list;
    int line;
} dl_fm_entry;

typedef struct dl_frontmatter {
    dl_fm_entry *entries;
    size_t len;
    int end_line; /* line of the closing --- (0 when there is no front matter) */
} dl_frontmatter;

const dl_fm_entry *dl_fm_get(const dl_frontmatter *fm, const char *key);

/* ---- blocks ------------------------------------------------------------ */

enum { DL_STYLE_EM = 1, DL_STYLE_STRONG = 2, DL_STYLE_CODE = 4, DL_STYLE_LINK = 8 };

typedef struct dl_span {
    unsigned style; /* DL_STYLE_* bits */
    char *text;
} dl_span;

typedef enum {
    DL_BLOCK_PARA,
    DL_BLOCK_HEADING, /* level = 1..6 */
    DL_BLOCK_ITEM,    /* level = list depth (1..); bullet = "-" or "3." */
    DL_BLOCK_QUOTE,   /* a paragraph inside a block quote; level = quote depth */
    DL_BLOCK_CODE,    /* fenced or indented code; info = the fence's info string */
    DL_BLOCK_RULE
} dl_block_kind;

typedef struct dl_block {
    dl_block_kind kind;
    int level;
    char bullet[16];
    dl_span *spans; /* text blocks */
    size_t nspans;
    char *info;    /* code: info string ("lua", "lua check", "python" ...), "" if none */
    char *code;    /* code: the text, lines joined with '\n' */
    int code_line; /* code: line of the first line of code inside the fence */
    bool closed;   /* code: false when the fence ran to the end of the file */
    int line;      /* first line of the block in the file */
} dl_block;

typedef struct dl_doc {
    char *path;
    dl_frontmatter fm;
    dl_block *blocks;
    size_t nblocks;
} dl_doc;

/* The non-empty scalar value of key, or NULL with a "front matter needs
 * `key: ...`" diagnostic. */
const char *dl_fm_scalar(const dl_doc *doc, const char *key, dl_diags *diags);
/* The file name of path without its folder and ".md" (to compare with id). */
void dl_path_stem(const char *path, char *out, size_t n);

/* Largest file we accept: lessons are prose and small programs. */
#define DL_DOC_MAX_BYTES (1024 * 1024)

/* Parse text (len bytes) read from path. Returns NULL and adds diagnostics
 * on a problem that makes the file unusable (too large, binary, not UTF-8,
 * broken front matter, an unclosed fence); also adds warnings-as-errors for
 * recoverable problems while still returning a doc. The caller frees the doc
 * with dl_doc_free. */
dl_doc *dl_doc_parse(const char *path, const char *text, size_t len, dl_diags *diags);
/* Read path and parse it; a missing or unreadable file is a diagnostic. */
dl_doc *dl_doc_load(const char *path, dl_diags *diags);
void dl_doc_free(dl_doc *doc);

/* Report paragraphs that look like fences but are not: CommonMark refuses a
 * ``` fence whose info string contains a backtick, so such a "fence" becomes
 * text and its code would silently disappear. */
void dl_doc_check_fences(const dl_doc *doc, dl_diags *diags);

/* The block's text with styles dropped (new string). */
char *dl_block_text(const dl_block *b);

#endif
