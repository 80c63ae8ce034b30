/* value.h - values that flow through callback chains.
 *
 * A dl_value is a small tagged union passed by value. Immediates (none, bool,
 * int, number) live inside it; everything else is a reference-counted heap
 * object whose first member is a dl_obj header.
 *
 * Ownership rules (written once, here):
 *   - A function that *returns* a dl_value returns a new reference: the caller
 *     must dl_release it (or hand it on).
 *   - A function that *takes* a dl_value borrows it unless its comment says
 *     "takes ownership".
 *   - dl_retain / dl_release are no-ops on immediates.
 *
 * Identity: heap values keep identity. A host value (DL_HOST) wraps whatever
 * the host language passed in (a Lua table, say) and gives the very same
 * thing back when it leaves the engine.
 */
#ifndef DL_VALUE_H
#define DL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    DL_NONE = 0, /* Python's None, Lua's nil */
    DL_BOOL,
    DL_INT,
    DL_NUM,
    DL_STR,      /* dl_str */
    DL_LIST,     /* dl_list: mutable array of values (also used for tuples) */
    DL_FAILURE,  /* dl_failure (failure.h) */
    DL_EXC,      /* dl_exception (failure.h): an exception as a plain value */
    DL_ERRTYPE,  /* dl_errtype (failure.h): an exception type as a value */
    DL_DEFERRED, /* dl_deferred (deferred.h) */
    DL_HOST,     /* dl_host: an opaque host-language value */
    DL_OBJ       /* any other engine object (clock, lock, queue ...): dl_obj with a class */
} dl_kind;

typedef struct dl_obj dl_obj;

typedef struct dl_value {
    dl_kind kind;
    union {
        bool b;
        int64_t i;
        double n;
        dl_obj *o;
    } u;
} dl_value;

/* Class of a heap object: how to destroy and describe it. */
typedef struct dl_class {
    const char *name; /* "str", "list", "Deferred", "DeferredLock" ... */
    /* Free everything the object owns, then the object itself. */
    void (*destroy)(dl_obj *o);
    /* Write a short human description (like Python's repr) into buf. Returns
     * what snprintf would. NULL means "<name>". */
    int (*repr)(const dl_obj *o, char *buf, size_t n);
} dl_class;

/* Header of every heap object. Public read-only. */
struct dl_obj {
    uint32_t refs; /* UINT32_MAX marks an immortal (static) object */
    uint32_t id;   /* per-kind sequence number, 0 when unused */
    const dl_class *cls;
};

#define DL_IMMORTAL UINT32_MAX

/* Constructors for immediates. */
static inline dl_value dl_none(void)
{
    dl_value v = {DL_NONE, {.i = 0}};
    return v;
}
static inline dl_value dl_bool(bool b)
{
    dl_value v = {DL_BOOL, {.b = b}};
    return v;
}
static inline dl_value dl_int(int64_t i)
{
    dl_value v = {DL_INT, {.i = i}};
    return v;
}
static inline dl_value dl_num(double n)
{
    dl_value v = {DL_NUM, {.n = n}};
    return v;
}
/* Wrap a heap object of kind k. Does not retain: use for a reference you own. */
static inline dl_value dl_obj_value(dl_kind k, void *o)
{
    dl_value v;
    v.kind = k;
    v.u.o = (dl_obj *)o;
    return v;
}

static inline bool dl_is_heap(dl_value v)
{
    return v.kind >= DL_STR;
}
static inline bool dl_is_none(dl_value v)
{
    return v.kind == DL_NONE;
}
static inline bool dl_is_failure(dl_value v)
{
    return v.kind == DL_FAILURE;
}

void dl_obj_init(dl_obj *o, const dl_class *cls);
void dl__obj_free(dl_obj *o);

static inline dl_value dl_retain(dl_value v)
{
    if (dl_is_heap(v) && v.u.o->refs != DL_IMMORTAL) v.u.o->refs++;
    return v;
}
static inline void dl_release(dl_value v)
{
    if (dl_is_heap(v) && v.u.o->refs != DL_IMMORTAL && --v.u.o->refs == 0) dl__obj_free(v.u.o);
}
static inline void dl_obj_retain(void *o)
{
    dl_obj *h = (dl_obj *)o;
    if (h && h->refs != DL_IMMORTAL) h->refs++;
}
static inline void dl_obj_release(void *o)
{
    dl_obj *h = (dl_obj *)o;
    if (h && h->refs != DL_IMMORTAL && --h->refs == 0) dl__obj_free(h);
}

/* Identity: same immediate value, or the same heap object. */
bool dl_same(dl_value a, dl_value b);

/* ---- strings ---------------------------------------------------------- */

typedef struct dl_str {
    dl_obj hdr;
    size_t len;
    char data[]; /* NUL-terminated */
} dl_str;

/* New string value (a copy of s[0..len)). Returns DL_NONE on OOM. */
dl_value dl_str_new(const char *s, size_t len);
dl_value dl_cstr(const char *s);
/* Borrowed C string of a DL_STR value, or NULL if v is not a string. */
const char *dl_str_cstr(dl_value v);

/* ---- lists ------------------------------------------------------------ */

typedef struct dl_list {
    dl_obj hdr;
    size_t len, cap;
    dl_value *items;
} dl_list;

dl_value dl_list_new(size_t cap);
/* Append; takes ownership of item. Returns 0 or DL_ENOMEM. */
int dl_list_push(dl_value list, dl_value item);
/* Replace items[i] (i < len); takes ownership of item. */
void dl_list_set(dl_value list, size_t i, dl_value item);
/* Borrowed item, or DL_NONE when out of range. */
dl_value dl_list_get(dl_value list, size_t i);
size_t dl_list_len(dl_value list);
/* A 2-tuple (a, b); takes ownership of both. */
dl_value dl_pair_new(dl_value a, dl_value b);

/* ---- host values ------------------------------------------------------ */

/* Host-language values carried through the engine unchanged. The host gives
 * a class whose destroy releases its reference (e.g. luaL_unref). */
typedef struct dl_host {
    dl_obj hdr;
    void *ctx;    /* host context, e.g. the lua_State */
    intptr_t ref; /* host handle, e.g. a registry reference */
    uint32_t tag; /* host-defined sub-kind (table, function, ...) */
} dl_host;

/* New host value with the given class. Returns DL_NONE on OOM. */
dl_value dl_host_new(const dl_class *cls, void *ctx, intptr_t ref, uint32_t tag);

/* ---- description ------------------------------------------------------ */

/* Lua-flavoured repr, since learners read Lua: nil, true, 5, 2.5, "text",
 * {1, "a"}, Failure(ValueError: bad), <Deferred d1> ... Strings longer than
 * DL_REPR_MAX are cut with "...". Always NUL-terminates when n > 0.
 * Returns the length it wanted to write (like snprintf). */
#define DL_REPR_MAX 60
int dl_repr(dl_value v, char *buf, size_t n);

#endif
