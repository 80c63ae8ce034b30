/* value.c - heap objects, strings, lists, host values, and repr. */
#include "value.h"

#include "error.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dl_obj_init(dl_obj *o, const dl_class *cls)
{
    o->refs = 1;
    o->id = 0;
    o->cls = cls;
}

void dl__obj_free(dl_obj *o)
{
    o->cls->destroy(o);
}

bool dl_same(dl_value a, dl_value b)
{
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case DL_NONE:
        return true;
    case DL_BOOL:
        return a.u.b == b.u.b;
    case DL_INT:
        return a.u.i == b.u.i;
    case DL_NUM:
        return a.u.n == b.u.n;
    default:
        return a.u.o == b.u.o;
    }
}

/* ---- strings ---------------------------------------------------------- */

static void str_destroy(dl_obj *o)
{
    free(o);
}

static int str_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_str *s = (const dl_str *)o;
    size_t shown = s->len > DL_REPR_MAX ? DL_REPR_MAX : s->len;
    /* Escape quotes, backslashes and control characters so a repr is one line. */
    size_t w = 0;
    int total = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (n && w + 1 < n) buf[w++] = (c);                                                        \
        total++;                                                                                   \
    } while (0)
    PUT('"');
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s->data[i];
        if (c == '"' || c == '\\') {
            PUT('\\');
            PUT((char)c);
        } else if (c == '\n') {
            PUT('\\');
            PUT('n');
        } else if (c < 0x20 || c == 0x7f) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\%u", c);
            for (char *p = esc; *p; p++)
                PUT(*p);
        } else {
            PUT((char)c);
        }
    }
    if (shown < s->len) {
        PUT('.');
        PUT('.');
        PUT('.');
    }
    PUT('"');
#undef PUT
    if (n) buf[w] = '\0';
    return total;
}

static const dl_class str_class = {"str", str_destroy, str_repr};

dl_value dl_str_new(const char *s, size_t len)
{
    dl_str *o = malloc(sizeof *o + len + 1);
    if (!o) return dl_none();
    dl_obj_init(&o->hdr, &str_class);
    o->len = len;
    if (len) memcpy(o->data, s, len);
    o->data[len] = '\0';
    return dl_obj_value(DL_STR, o);
}

dl_value dl_cstr(const char *s)
{
    return dl_str_new(s, strlen(s));
}

const char *dl_str_cstr(dl_value v)
{
    return v.kind == DL_STR ? ((dl_str *)v.u.o)->data : NULL;
}

/* ---- lists ------------------------------------------------------------ */

static void list_destroy(dl_obj *o)
{
    dl_list *l = (dl_list *)o;
    for (size_t i = 0; i < l->len; i++)
        dl_release(l->items[i]);
    free(l->items);
    free(l);
}

/* Append s to buf at *w, tracking the would-be total like snprintf. */
static void put_str(char *buf, size_t n, size_t *w, int *total, const char *s)
{
    size_t len = strlen(s);
    *total += (int)len;
    if (!n || *w + 1 >= n) return;
    size_t room = n - 1 - *w;
    size_t take = len < room ? len : room;
    memcpy(buf + *w, s, take);
    *w += take;
    buf[*w] = '\0';
}

/* Nesting depth of list reprs in progress (the engine is single-threaded). */
static int list_repr_depth;
#define LIST_REPR_MAX_DEPTH 6

static int list_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_list *l = (const dl_list *)o;
    size_t w = 0;
    int total = 0;
    char item[256];
    if (n) buf[0] = '\0';
    /* A repr is a short description: stop at a fixed depth and as soon as
     * the text is full, or nested lists (a DeferredList of DeferredLists)
     * would cost time exponential in their depth. */
    if (list_repr_depth >= LIST_REPR_MAX_DEPTH) {
        put_str(buf, n, &w, &total, l->len ? "{...}" : "{}");
        return total;
    }
    list_repr_depth++;
    put_str(buf, n, &w, &total, "{");
    for (size_t i = 0; i < l->len; i++) {
        if (i) put_str(buf, n, &w, &total, ", ");
        if (i == 16 || (n && w + 1 >= n)) {
            put_str(buf, n, &w, &total, "...");
            break;
        }
        dl_repr(l->items[i], item, sizeof item);
        put_str(buf, n, &w, &total, item);
    }
    put_str(buf, n, &w, &total, "}");
    list_repr_depth--;
    return total;
}

static const dl_class list_class = {"list", list_destroy, list_repr};

dl_value dl_list_new(size_t cap)
{
    dl_list *l = malloc(sizeof *l);
    if (!l) return dl_none();
    dl_obj_init(&l->hdr, &list_class);
    l->len = 0;
    l->cap = cap;
    l->items = NULL;
    if (cap) {
        l->items = malloc(cap * sizeof *l->items);
        if (!l->items) {
            free(l);
            return dl_none();
        }
    }
    return dl_obj_value(DL_LIST, l);
}

int dl_list_push(dl_value list, dl_value item)
{
    dl_list *l = (dl_list *)list.u.o;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        dl_value *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            dl_release(item);
            return DL_ENOMEM;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = item;
    return 0;
}

void dl_list_set(dl_value list, size_t i, dl_value item)
{
    dl_list *l = (dl_list *)list.u.o;
    dl_value old = l->items[i];
    l->items[i] = item;
    dl_release(old);
}

dl_value dl_list_get(dl_value list, size_t i)
{
    if (list.kind != DL_LIST) return dl_none();
    dl_list *l = (dl_list *)list.u.o;
    return i < l->len ? l->items[i] : dl_none();
}

size_t dl_list_len(dl_value list)
{
    return list.kind == DL_LIST ? ((dl_list *)list.u.o)->len : 0;
}

dl_value dl_pair_new(dl_value a, dl_value b)
{
    dl_value l = dl_list_new(2);
    if (l.kind != DL_LIST) {
        dl_release(a);
        dl_release(b);
        return l;
    }
    dl_list_push(l, a);
    dl_list_push(l, b);
    return l;
}

/* ---- host values ------------------------------------------------------ */

dl_value dl_host_new(const dl_class *cls, void *ctx, intptr_t ref, uint32_t tag)
{
    dl_host *h = malloc(sizeof *h);
    if (!h) return dl_none();
    dl_obj_init(&h->hdr, cls);
    h->ctx = ctx;
    h->ref = ref;
    h->tag = tag;
    return dl_obj_value(DL_HOST, h);
}

/* ---- repr ------------------------------------------------------------- */

int dl_repr(dl_value v, char *buf, size_t n)
{
    switch (v.kind) {
    case DL_NONE:
        return snprintf(buf, n, "nil");
    case DL_BOOL:
        return snprintf(buf, n, "%s", v.u.b ? "true" : "false");
    case DL_INT:
        return snprintf(buf, n, "%" PRId64, v.u.i);
    case DL_NUM: {
        /* Lua prints integral floats as "2.0"; keep that so 2 and 2.0 differ.
         * Range first: casting a huge value or NaN to int64_t is undefined. */
        int w;
        if (v.u.n > -1e15 && v.u.n < 1e15 && v.u.n == (double)(int64_t)v.u.n)
            w = snprintf(buf, n, "%.1f", v.u.n);
        else
            w = snprintf(buf, n, "%.14g", v.u.n);
        /* Reprs must not depend on the locale: "2.5", never "2,5". */
        const char *dp = localeconv()->decimal_point;
        if (dp[0] && dp[0] != '.' && !dp[1])
            for (char *p = buf; n && *p; p++)
                if (*p == dp[0]) *p = '.';
        return w;
    }
    default:
        if (v.u.o->cls->repr) return v.u.o->cls->repr(v.u.o, buf, n);
        return snprintf(buf, n, "<%s>", v.u.o->cls->name);
    }
}
