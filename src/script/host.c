/* host.c - values, boxes, errors, names and locations: what every binding
 * of src/script/ uses to talk to the engine.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"
#include "script/script_int.h"

/* ===================================================================== */
/* Small helpers                                                         */
/* ===================================================================== */

dl_script *dl__script(lua_State *L)
{
    dl_script *S = dl__host(L);
    S->cur = L;
    dl__charge(S, L, DL_CROSSING_COST);
    return S;
}

dl_engine *dl_script_engine(dl_script *S)
{
    return S->eng;
}

const char *dl_script_error(const dl_script *S)
{
    return S->err;
}

const char *dl_script_traceback(const dl_script *S)
{
    return S->traceback ? S->traceback : "";
}

void dl_script_opts_default(dl_script_opts *o)
{
    memset(o, 0, sizeof *o); /* every field a caller does not know stays off */
    o->budget = DL_SCRIPT_DEFAULT_BUDGET;
    o->memory = DL_SCRIPT_DEFAULT_MEMORY;
    o->seed = 42;
    o->semantics = DL_SEMANTICS_TWISTED;
}

/* Parked values form a stack. Unparking slot k also drops whatever nested
 * calls parked above k and left behind when they raised: by then those
 * calls have unwound. */
size_t dl__park(dl_script *S, dl_value v)
{
    if (S->nparked == S->parked_cap) {
        size_t cap = S->parked_cap ? S->parked_cap * 2 : 16;
        dl_value *n = realloc(S->parked, cap * sizeof *n);
        if (!n) {
            dl_release(v); /* cannot keep it safe: give it up now */
            luaL_error(S->cur, "out of memory");
        }
        S->parked = n;
        S->parked_cap = cap;
    }
    S->parked[S->nparked] = v;
    return S->nparked++;
}

void dl__unpark(dl_script *S, size_t slot)
{
    while (S->nparked > slot + 1)
        dl_release(S->parked[--S->nparked]);
    if (S->nparked > slot) S->nparked = slot;
}

void dl__drop_parked(dl_script *S)
{
    while (S->nparked)
        dl_release(S->parked[--S->nparked]);
}

/* ===================================================================== */
/* Sources: kept so names can be read off the lines that define them      */
/* ===================================================================== */

static dl_chunk *find_chunk(dl_script *S, const char *name)
{
    for (size_t i = 0; i < S->nchunks; i++)
        if (strcmp(S->chunks[i].name, name) == 0) return &S->chunks[i];
    return NULL;
}

static bool blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r') return false;
    return true;
}

/* Remember the lines of a chunk. Running more text under the same name (the
 * cells of one lesson, each padded so line numbers are the file's) fills in
 * the lines it has: each chunk's non-blank lines win. */
int dl__add_chunk(dl_script *S, const char *name, const char *text, size_t len)
{
    dl_chunk *c = find_chunk(S, name);
    if (!c) {
        dl_chunk *n = realloc(S->chunks, (S->nchunks + 1) * sizeof *n);
        if (!n) return -1;
        S->chunks = n;
        c = &S->chunks[S->nchunks];
        memset(c, 0, sizeof *c);
        c->name = strdup(name);
        if (!c->name) return -1;
        S->nchunks++;
    }
    size_t count = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n') count++;
    if (count > c->nlines) {
        char **l = realloc(c->lines, count * sizeof *l);
        if (!l) return -1;
        for (size_t i = c->nlines; i < count; i++)
            l[i] = NULL;
        c->lines = l;
        dl_label_site *st = realloc(c->sites, count * sizeof *st);
        if (!st) return -1;
        memset(st + c->nlines, 0, (count - c->nlines) * sizeof *st);
        c->sites = st;
        c->nlines = count;
    }
    const char *p = text, *end = text + len;
    for (size_t i = 0; i < count; i++) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        if (!blank(p, e) || !c->lines[i]) {
            char *line = malloc((size_t)(e - p) + 1);
            if (!line) return -1;
            memcpy(line, p, (size_t)(e - p));
            line[e - p] = '\0';
            free(c->lines[i]);
            c->lines[i] = line;
            free(c->sites[i].text); /* read again when next asked */
            memset(&c->sites[i], 0, sizeof c->sites[i]);
        }
        p = e < end ? e + 1 : end;
    }
    return 0;
}

/* buf = the first len bytes of s, cut to fit n (NUL-terminated when n > 0).
 * The name and label paths run once per callback or Deferred, where
 * snprintf's format parsing cost more than everything around it. */
static void copy_text(char *buf, size_t n, const char *s, size_t len)
{
    if (n == 0) return;
    if (len >= n) len = n - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
}

/* Line `line` of the chunk a frame's source ("@name") names, as [*p, end). */
static bool source_line(dl_script *S, const char *source, int line, const char **p,
                        const char **end)
{
    if (!source || source[0] != '@' || line <= 0) return false;
    dl_chunk *c = find_chunk(S, source + 1);
    if (!c || (size_t)line > c->nlines || !c->lines[line - 1]) return false;
    *p = c->lines[line - 1];
    *end = *p + strlen(*p);
    return true;
}

/* ===================================================================== */
/* Locations                                                             */
/* ===================================================================== */

/* The chunk name a frame belongs to when it is script code, else NULL. The
 * returned string is owned by the host (stable for the whole run). */
const char *dl__script_file(dl_script *S, const lua_Debug *ar)
{
    if (ar->source[0] != '@' || ar->currentline <= 0) return NULL;
    dl_chunk *c = find_chunk(S, ar->source + 1);
    return c ? c->name : NULL;
}

bool dl__where(lua_State *L, int level, char *buf, size_t n)
{
    dl_script *S = dl__host(L);
    lua_Debug ar;
    for (int lvl = level; lua_getstack(L, lvl, &ar); lvl++) {
        if (!lua_getinfo(L, "Sl", &ar)) continue;
        const char *f = dl__script_file(S, &ar);
        if (f) {
            snprintf(buf, n, "%s:%d", f, ar.currentline);
            return true;
        }
    }
    if (n) buf[0] = '\0';
    return false;
}

/* The engine's locator: the innermost script frame of the running thread,
 * else of the main thread (a coroutine at its first instruction). */
void dl__locate(void *ud, const char **file, int *line)
{
    dl_script *S = ud;
    if (S->closing || S->closed) return;
    lua_State *threads[3] = {S->loc_hint, S->cur ? S->cur : S->L, S->L};
    for (int t = 0; t < 3; t++) {
        if (!threads[t]) continue;
        lua_Debug ar;
        for (int lvl = 0; lua_getstack(threads[t], lvl, &ar); lvl++) {
            if (!lua_getinfo(threads[t], "Sl", &ar)) continue;
            const char *f = dl__script_file(S, &ar);
            if (f) {
                *file = f;
                *line = ar.currentline;
                return;
            }
        }
        if (t == 1 && threads[1] == S->L) break;
    }
}

/* ===================================================================== */
/* Host values: Lua values carried through the engine unchanged          */
/* ===================================================================== */

static void host_destroy(dl_obj *o)
{
    dl_host *h = (dl_host *)o;
    dl_script *S = h->ctx;
    /* Once lua_close has started the registry is going away with the value:
     * nothing to do. */
    if (!S->closing && !S->closed) luaL_unref(S->L, LUA_REGISTRYINDEX, (int)h->ref);
    free(h);
}

static int host_repr(const dl_obj *o, char *buf, size_t n);
static const dl_class host_class = {"host", host_destroy, host_repr};

/* Repr of the Lua value at idx of L, without allocating Lua memory and
 * without raising: reprs are built while the engine is mid-step. */
int dl__value_repr(dl_script *S, lua_State *L, int idx, char *buf, size_t n, int depth)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return snprintf(buf, n, "nil");
    case LUA_TBOOLEAN:
        return snprintf(buf, n, "%s", lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return dl_repr(dl_int(lua_tointeger(L, idx)), buf, n);
        return dl_repr(dl_num(lua_tonumber(L, idx)), buf, n);
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        dl_value v = dl_str_new(s, len > DL_REPR_MAX ? DL_REPR_MAX + 1 : len);
        int r = v.kind == DL_STR ? dl_repr(v, buf, n) : snprintf(buf, n, "\"...\"");
        dl_release(v);
        return r;
    }
    case LUA_TUSERDATA: {
        dl_box *b = dl__box(L, idx);
        if (b) return dl_repr(b->v, buf, n);
        return snprintf(buf, n, "userdata");
    }
    case LUA_TFUNCTION: {
        char name[96];
        lua_pushvalue(L, idx);
        dl__fn_display_name(L, -1, name, sizeof name);
        lua_pop(L, 1);
        return snprintf(buf, n, "function %s", name);
    }
    case LUA_TTHREAD:
        return snprintf(buf, n, "coroutine");
    case LUA_TTABLE:
        break;
    default:
        return snprintf(buf, n, "%s", lua_typename(L, lua_type(L, idx)));
    }
    if (depth > 0 || !lua_checkstack(L, 4)) return snprintf(buf, n, "{...}");
    size_t w = 0;
    int total = 0;
    char item[128];
#define PUT(s)                                                                                     \
    do {                                                                                           \
        int k_ = snprintf(buf + (w < n ? w : n), w < n ? n - w : 0, "%s", (s));                    \
        total += k_;                                                                               \
        w += (size_t)k_;                                                                           \
    } while (0)
    PUT("{");
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    lua_Integer shown = len > 8 ? 8 : len;
    for (lua_Integer i = 1; i <= shown; i++) {
        if (i > 1) PUT(", ");
        lua_rawgeti(L, idx, i);
        dl__value_repr(S, L, -1, item, sizeof item, depth + 1);
        lua_pop(L, 1);
        PUT(item);
    }
    /* Any key beyond the array part? */
    if (len > 0)
        lua_pushinteger(L, len);
    else
        lua_pushnil(L);
    bool more = len > shown;
    if (!more && lua_next(L, idx)) {
        lua_pop(L, 2);
        more = true;
    }
    if (more) PUT(len ? ", ..." : "...");
    PUT("}");
#undef PUT
    return total;
}

static int host_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_host *h = (const dl_host *)o;
    dl_script *S = h->ctx;
    if (S->closing || S->closed) {
        static const char *const what[] = {[LUA_TTABLE] = "{...}",
                                           [LUA_TFUNCTION] = "function",
                                           [LUA_TTHREAD] = "coroutine",
                                           [LUA_TUSERDATA] = "userdata"};
        const char *w = h->tag < sizeof what / sizeof what[0] ? what[h->tag] : NULL;
        return snprintf(buf, n, "%s", w ? w : "value");
    }
    /* A table can hold a Deferred whose result is that table: stop going
     * round (d:callback({d}) overflowed the C stack). */
    static int depth;
    lua_State *L = S->L;
    if (depth >= 2 || !lua_checkstack(L, 2)) return snprintf(buf, n, "{...}");
    depth++;
    lua_rawgeti(L, LUA_REGISTRYINDEX, (lua_Integer)h->ref);
    int r = dl__value_repr(S, L, -1, buf, n, 0);
    lua_pop(L, 1);
    depth--;
    return r;
}

/* ===================================================================== */
/* Boxes                                                                 */
/* ===================================================================== */

void dl__register_box_mt(lua_State *L, const char *name)
{
    dl_script *S = dl__host(L);
    /* A box type left out would make its objects unrecognisable: say so. */
    if (S->nbox_mts >= (int)(sizeof S->box_mts / sizeof S->box_mts[0]))
        luaL_error(L, "deferlab: too many box types (raise box_mts in script_int.h)");
    lua_pushvalue(L, -1);
    S->box_mt_refs[S->nbox_mts] = luaL_ref(L, LUA_REGISTRYINDEX);
    S->box_names[S->nbox_mts] = name;
    S->box_mts[S->nbox_mts++] = lua_topointer(L, -1);
}

/* Push the metatable of the box type called name (nil when there is none). */
static int push_box_mt(dl_script *S, lua_State *L, const char *name)
{
    for (int i = 0; i < S->nbox_mts; i++) /* the literal itself first: no strcmp */
        if (S->box_names[i] == name) return lua_rawgeti(L, LUA_REGISTRYINDEX, S->box_mt_refs[i]);
    for (int i = 0; i < S->nbox_mts; i++)
        if (strcmp(S->box_names[i], name) == 0)
            return lua_rawgeti(L, LUA_REGISTRYINDEX, S->box_mt_refs[i]);
    return luaL_getmetatable(L, name);
}

/* The index of the box type of the value at idx in S->box_mts, or -1.
 * Comparing metatable pointers is what luaL_testudata does after looking the
 * name up in the registry; here the lookup is a scan of a few pointers, and
 * this runs on every method call. */
static int box_type(dl_script *S, lua_State *L, int idx, dl_box **box)
{
    /* lua_touserdata is NULL for anything but userdata (a light userdata
     * has no metatable of ours, so it fails below). */
    *box = lua_touserdata(L, idx);
    if (!*box) return -1;
    /* The box seen last (d in a loop of d:addCallback): its address cannot
     * belong to anything else until box_gc has run for it, which forgets it,
     * and a box's metatable never changes. */
    if (*box == S->last_box) return S->last_box_type;
    if (!lua_getmetatable(L, idx)) return -1;
    const void *mt = lua_topointer(L, -1);
    lua_pop(L, 1);
    for (int i = 0; i < S->nbox_mts; i++) {
        if (S->box_mts[i] == mt) {
            S->last_box = *box;
            S->last_box_type = i;
            return i;
        }
    }
    return -1;
}

dl_box *dl__box(lua_State *L, int idx)
{
    dl_script *S = dl__host(L);
    dl_box *b;
    return box_type(S, L, idx, &b) >= 0 ? b : NULL;
}

dl_box *dl__box_is(lua_State *L, int idx, const char *mt)
{
    dl_script *S = dl__host(L);
    dl_box *b;
    int t = box_type(S, L, idx, &b);
    if (t < 0) return NULL;
    const char *name = S->box_names[t];
    return name == mt || strcmp(name, mt) == 0 ? b : NULL;
}

static int box_gc(lua_State *L)
{
    dl_script *S = dl__script(L);
    dl_box *b = lua_touserdata(L, 1);
    if (S->last_box == b) S->last_box = NULL;
    dl_value v = b->v;
    b->v = dl_none(); /* idempotent */
    dl_release(v);
    return 0;
}

static int box_tostring(lua_State *L)
{
    dl_box *b = dl__box(L, 1);
    if (!b) return luaL_error(L, "bad self");
    char buf[512];
    int k;
    if (b->v.kind == DL_EXC)
        k = dl_exception_str(dl_exception_of(b->v), buf, sizeof buf);
    else
        k = dl_repr(b->v, buf, sizeof buf);
    lua_pushlstring(L, buf, k < 0 ? 0 : (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1);
    return 1;
}

static int box_eq(lua_State *L)
{
    dl_box *a = dl__box(L, 1), *b = dl__box(L, 2);
    lua_pushboolean(L, a && b && dl_same(a->v, b->v));
    return 1;
}

void dl__new_box_type(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods)
{
    luaL_newmetatable(L, name); /* push mt */
    dl__register_box_mt(L, name);
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, box_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, box_eq);
    lua_setfield(L, -2, "__eq");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable"); /* getmetatable() shows this */
    if (methods) {
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");
    }
    if (meta) luaL_setfuncs(L, meta, 0); /* may override __index */
    lua_pop(L, 1);                       /* pop mt */
}

void dl__new_object_type(lua_State *L, const char *name, const luaL_Reg *methods,
                         lua_CFunction index_fn, lua_CFunction newindex_fn)
{
    dl__new_box_type(L, name, NULL, NULL);
    luaL_getmetatable(L, name); /* push mt */
    lua_newtable(L);            /* push methods */
    luaL_setfuncs(L, methods, 0);
    lua_pushcclosure(L, index_fn, 1); /* pop methods; push __index */
    lua_setfield(L, -2, "__index");
    if (newindex_fn) {
        lua_pushcfunction(L, newindex_fn);
        lua_setfield(L, -2, "__newindex");
    }
    lua_pop(L, 1); /* pop mt */
}

int dl__methods(lua_State *L)
{
    lua_pushvalue(L, 2);
    lua_gettable(L, lua_upvalueindex(1));
    return 1;
}

dl_deferred **dl__check_deferred_array(lua_State *L, int idx, size_t *n)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "n");
    lua_Integer len = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : luaL_len(L, idx);
    lua_pop(L, 1);
    if (len < 0) len = 0;
    for (lua_Integer i = 1; i <= len; i++) {
        lua_rawgeti(L, idx, i);
        dl_box *b = dl__box_is(L, -1, DL_MT_DEFERRED);
        if (!b || b->v.kind != DL_DEFERRED)
            dl__raise_type(L, &dl_type_TypeError, "item %d of the list is not a Deferred (got %s)",
                           (int)i, luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    /* Every check is done: nothing raises from here on. */
    dl_deferred **ds = malloc(((size_t)len + 1) * sizeof *ds);
    if (!ds) luaL_error(L, "out of memory");
    for (lua_Integer i = 1; i <= len; i++) {
        lua_rawgeti(L, idx, i);
        ds[i - 1] = dl_deferred_of(((dl_box *)lua_touserdata(L, -1))->v);
        lua_pop(L, 1);
    }
    *n = (size_t)len;
    return ds;
}

void dl__track_reactor(dl_script *S, void *reactor)
{
    if (S->nreactors == S->reactors_cap) {
        size_t cap = S->reactors_cap ? S->reactors_cap * 2 : 4;
        dl_reactor **n = realloc(S->reactors, cap * sizeof *n);
        if (!n) return; /* it is then released with its box, unclosed */
        S->reactors = n;
        S->reactors_cap = cap;
    }
    dl_obj_retain(reactor);
    S->reactors[S->nreactors++] = reactor;
}

static const char *mt_for(dl_value v, char *buf, size_t n)
{
    switch (v.kind) {
    case DL_DEFERRED:
        return DL_MT_DEFERRED;
    case DL_FAILURE:
        return DL_MT_FAILURE;
    case DL_EXC:
        return DL_MT_EXCEPTION;
    case DL_ERRTYPE:
        return DL_MT_ERRTYPE;
    default:
        snprintf(buf, n, "deferlab.%s", v.u.o->cls->name);
        return buf;
    }
}

static void push_box(dl_script *S, lua_State *L, dl_value v)
{
    luaL_checkstack(L, 4, NULL);
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->cache_ref); /* push cache */
    if (lua_rawgetp(L, -1, v.u.o) != LUA_TNIL) {     /* push cache[obj] */
        lua_remove(L, -2);                           /* pop cache */
        return;
    }
    lua_pop(L, 1);                                  /* pop nil */
    dl_box *b = lua_newuserdatauv(L, sizeof *b, 0); /* push box */
    b->v = dl_none();
    char name[96];
    if (push_box_mt(S, L, mt_for(v, name, sizeof name)) == LUA_TNIL) { /* push mt */
        lua_pop(L, 1);
        push_box_mt(S, L, DL_MT_OBJECT);
    }
    lua_setmetatable(L, -2); /* pop mt */
    b->v = dl_retain(v);
    lua_pushvalue(L, -1);      /* push box */
    lua_rawsetp(L, -3, v.u.o); /* cache[obj] = box; pop */
    lua_remove(L, -2);         /* pop cache */
    /* The box keeps an engine object alive that Lua's collector cannot see:
     * a Deferred with its pairs, extra state and label is a few hundred
     * bytes behind a 16-byte box. Unseen, a loop making Deferreds piles them
     * up until the Lua heap alone has doubled (1,000,000 callbacks held
     * 40 MB); so every 64 KiB of that hidden memory is told to the collector
     * as one step of that size. */
    S->hidden_bytes += DL_BOX_HIDDEN_BYTES;
    if (S->hidden_bytes >= DL_HIDDEN_STEP) {
        S->hidden_bytes = 0;
        lua_gc(L, LUA_GCSTEP, (int)(DL_HIDDEN_STEP >> 10));
    }
}

/* ===================================================================== */
/* Value conversion                                                      */
/* ===================================================================== */

void dl__push(lua_State *L, dl_value v)
{
    dl_script *S = dl__host(L);
    switch (v.kind) {
    case DL_NONE:
        lua_pushnil(L);
        return;
    case DL_BOOL:
        lua_pushboolean(L, v.u.b);
        return;
    case DL_INT:
        lua_pushinteger(L, (lua_Integer)v.u.i);
        return;
    case DL_NUM:
        lua_pushnumber(L, v.u.n);
        return;
    case DL_STR: {
        dl_str *s = (dl_str *)v.u.o;
        lua_pushlstring(L, s->data, s->len);
        return;
    }
    case DL_LIST: {
        size_t n = dl_list_len(v);
        luaL_checkstack(L, 4, NULL);
        lua_createtable(L, (int)n, 1);
        bool holes = false;
        for (size_t i = 0; i < n; i++) {
            dl_value item = dl_list_get(v, i);
            if (dl_is_none(item)) holes = true;
            dl__push(L, item);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        if (holes) {
            lua_pushinteger(L, (lua_Integer)n);
            lua_setfield(L, -2, "n");
        }
        return;
    }
    case DL_HOST: {
        dl_host *h = (dl_host *)v.u.o;
        if (h->hdr.cls == &host_class && h->ctx == S) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, (lua_Integer)h->ref);
            return;
        }
        break;
    }
    default:
        break;
    }
    push_box(S, L, v);
}

void dl__push_owned(lua_State *L, dl_value v)
{
    dl_script *S = dl__host(L);
    size_t slot = dl__park(S, v); /* released later if pushing raises */
    dl__push(L, v);
    dl__unpark(S, slot);
    dl_release(v);
}

dl_value dl__to_value(lua_State *L, int idx)
{
    dl_script *S = dl__host(L);
    idx = lua_absindex(L, idx);
    int t = lua_type(L, idx);
    switch (t) {
    case LUA_TNONE:
    case LUA_TNIL:
        return dl_none();
    case LUA_TBOOLEAN:
        return dl_bool(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return dl_int(lua_tointeger(L, idx));
        return dl_num(lua_tonumber(L, idx));
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        dl_value v = dl_str_new(s, len);
        if (v.kind != DL_STR) luaL_error(L, "out of memory");
        return v;
    }
    case LUA_TUSERDATA: {
        dl_box *b = dl__box(L, idx);
        if (b) return dl_retain(b->v);
        break;
    }
    default:
        break;
    }
    lua_pushvalue(L, idx);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops */
    dl_value v = dl_host_new(&host_class, S, ref, (uint32_t)t);
    if (v.kind != DL_HOST) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        luaL_error(L, "out of memory");
    }
    return v;
}

/* ===================================================================== */
/* Errors                                                                */
/* ===================================================================== */

/* Split Lua's "file:line: " prefix off msg. Returns the message start and
 * fills where ("" when there is no prefix). */
const char *dl__strip_location(const char *msg, char *where, size_t n)
{
    where[0] = '\0';
    const char *nl = strchr(msg, '\n');
    for (const char *p = msg; *p && (!nl || p < nl); p++) {
        if (*p != ':' || !(p[1] >= '0' && p[1] <= '9')) continue;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q[0] == ':' && q[1] == ' ') {
            size_t len = (size_t)(q - msg);
            if (len >= n) len = n - 1;
            memcpy(where, msg, len);
            where[len] = '\0';
            return q + 2;
        }
        break;
    }
    return msg;
}

typedef struct convert_ctx {
    const char *where;
    dl_value out;
} convert_ctx;

static dl_value exception_failure(dl_errtype *t, const char *msg, dl_value args, const char *where)
{
    dl_exception *e = dl_exception_new(t, msg, args);
    if (!e) return dl_none();
    dl_failure *f = dl_failure_new(e, where && where[0] ? where : NULL);
    dl_obj_release(e);
    return f ? dl_obj_value(DL_FAILURE, f) : dl_none();
}

/* Runs under lua_pcall: [1] = error object, [2] = convert_ctx. */
static int convert_error(lua_State *L)
{
    dl_script *S = dl__host(L);
    convert_ctx *c = lua_touserdata(L, 2);
    dl_box *b = dl__box(L, 1);
    if (b && b->v.kind == DL_FAILURE) {
        c->out = dl_retain(b->v);
        return 0;
    }
    if (b && b->v.kind == DL_EXC) {
        dl_failure *f = dl_failure_new(dl_exception_of(b->v), c->where[0] ? c->where : NULL);
        c->out = f ? dl_obj_value(DL_FAILURE, f) : dl_none();
        return 0;
    }
    if (S->killed) {
        c->out = exception_failure(&dl_type_RuntimeError, S->kill_msg, dl_none(), c->where);
        return 0;
    }
    if (lua_type(L, 1) == LUA_TSTRING) {
        char where[256];
        const char *msg = dl__strip_location(lua_tostring(L, 1), where, sizeof where);
        c->out = exception_failure(&dl_type_Exception, msg, dl_none(), where[0] ? where : c->where);
        return 0;
    }
    /* error({...}), error(42), error(nil): keep the object in args[1]. */
    char msg[256];
    if (lua_type(L, 1) == LUA_TNUMBER) {
        dl__value_repr(S, L, 1, msg, sizeof msg, 0);
    } else {
        snprintf(msg, sizeof msg, "(error object is a %s value)", luaL_typename(L, 1));
    }
    dl_value args = dl_list_new(1);
    if (args.kind != DL_LIST) return luaL_error(L, "out of memory");
    size_t slot = dl__park(S, args);
    dl_list_push(args, dl__to_value(L, 1));
    dl__unpark(S, slot);
    c->out = exception_failure(&dl_type_Exception, msg, args, c->where);
    return 0;
}

dl_value dl__error_to_failure(lua_State *L, int idx, const char *where)
{
    dl_script *S = dl__host(L);
    convert_ctx c = {where ? where : "", dl_none()};
    idx = lua_absindex(L, idx);
    if (lua_checkstack(L, 4)) {
        lua_pushcfunction(L, convert_error);
        lua_pushvalue(L, idx);
        lua_pushlightuserdata(L, &c);
        if (lua_pcall(L, 2, 0, 0) != LUA_OK) lua_pop(L, 1);
    }
    if (dl_is_failure(c.out)) return c.out;
    dl_release(c.out);
    const char *msg = S->killed ? S->kill_msg : "error while handling an error";
    return dl_fail_value(&dl_type_RuntimeError, "%s", msg);
}

int dl__check(lua_State *L, int rc)
{
    dl_script *S = dl__host(L);
    if (S->killed) {
        dl_release(dl_engine_take_raised(S->eng));
        dl__check_killed(L);
    }
    if (rc >= 0) return rc;
    dl_value f = dl_engine_take_raised(S->eng);
    if (!dl_is_failure(f)) {
        dl_release(f);
        return luaL_error(L, "%s", dl_strerror(rc));
    }
    /* Raise the exception itself, as Python's `raise` would. */
    dl_value e = dl_obj_value(DL_EXC, dl_failure_of(f)->exc);
    dl_retain(e);
    dl_release(f);
    dl__push_owned(L, e);
    return lua_error(L);
}

int dl__raise_type(lua_State *L, dl_errtype *t, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dl_exception *e = dl_exception_new(t, msg, dl_none());
    if (!e) return luaL_error(L, "out of memory");
    dl__push_owned(L, dl_obj_value(DL_EXC, e));
    return lua_error(L);
}

/* ===================================================================== */
/* Names                                                                 */
/* ===================================================================== */

static bool ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool ident_char(char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}
static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}
/* Read an identifier (with dots if dotted) at p; returns its end or NULL. */
static const char *read_ident(const char *p, const char *end, bool dotted)
{
    if (p >= end || !ident_start(*p)) return NULL;
    while (p < end && (ident_char(*p) ||
                       (dotted && (*p == '.' || *p == ':') && p + 1 < end && ident_start(p[1]))))
        p++;
    return p;
}
static bool word_at(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 && (p + n == end || !ident_char(p[n]));
}

/* The name a definition line gives its function: `function a.b(`,
 * `local function f(`, `f = function(`, `local f = function(`. */
static bool name_from_definition(const char *p, const char *end, char *buf, size_t n)
{
    for (const char *s = p; s < end; s++) {
        if (!word_at(s, end, "function") || (s > p && ident_char(s[-1]))) continue;
        const char *q = skip_space(s + 8, end);
        const char *e = read_ident(q, end, true);
        if (e && skip_space(e, end) < end && *skip_space(e, end) == '(') {
            copy_text(buf, n, q, (size_t)(e - q));
            return true;
        }
        /* `NAME = function(`: look back over "=" for the name. */
        const char *b = s;
        while (b > p && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > p && b[-1] == '=' && !(b - 1 > p && strchr("=~<>", b[-2]))) {
            b--;
            while (b > p && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            const char *ne = b;
            while (b > p && (ident_char(b[-1]) || b[-1] == '.'))
                b--;
            if (ne > b && ident_start(*b)) {
                copy_text(buf, n, b, (size_t)(ne - b));
                return true;
            }
        }
        return false;
    }
    return false;
}

/* Find the value at idx among the globals; pushes nothing. */
static bool name_from_globals(lua_State *L, int idx, char *buf, size_t n)
{
    if (!lua_checkstack(L, 4)) return false;
    idx = lua_absindex(L, idx);
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, idx)) {
            copy_text(buf, n, lua_tostring(L, -2), strlen(lua_tostring(L, -2)));
            lua_pop(L, 3);
            return true;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return false;
}

/* Look for the value among the locals of the Lua function calling the
 * current C function (level 1). */
static bool name_from_caller_locals(lua_State *L, int idx, char *buf, size_t n)
{
    lua_Debug ar;
    if (!lua_getstack(L, 1, &ar) || !lua_checkstack(L, 2)) return false;
    idx = lua_absindex(L, idx);
    const char *name;
    for (int i = 1; (name = lua_getlocal(L, &ar, i)) != NULL; i++) {
        bool hit = name[0] != '(' && lua_rawequal(L, -1, idx);
        lua_pop(L, 1);
        if (hit) {
            copy_text(buf, n, name, strlen(name));
            return true;
        }
    }
    return false;
}

/* The name the definition line of the function at fidx gives it, into buf:
 * true, or false with *linedefined set (-1 when unknown).
 *
 * The verdict is cached per function (S->names_ref: function -> name, or its
 * linedefined when the line names nothing; weak keys). A definition never
 * changes, and lua_getinfo plus a scan of the line cost more than running
 * the callback being named; a loop adding the same function pays them once.
 * remember says whether a new verdict may be cached: that allocates and may
 * raise, so dl__value_repr passes false. */
static bool definition_name(lua_State *L, int fidx, char *buf, size_t n, int *linedefined,
                            bool remember)
{
    dl_script *S = dl__host(L);
    *linedefined = -1;
    if (!lua_checkstack(L, 3)) return false;
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->names_ref);
    lua_pushvalue(L, fidx);
    int t = lua_rawget(L, -2);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        bool named = t == LUA_TSTRING;
        if (named)
            copy_text(buf, n, lua_tostring(L, -1), lua_rawlen(L, -1));
        else
            *linedefined = (int)lua_tointeger(L, -1);
        lua_pop(L, 2);
        return named;
    }
    lua_pop(L, 1); /* the cache stays below */
    lua_Debug ar;
    bool named = false;
    lua_pushvalue(L, fidx);
    if (lua_getinfo(L, ">S", &ar)) {
        *linedefined = ar.linedefined;
        const char *p, *end;
        named = source_line(S, ar.source, ar.linedefined, &p, &end) &&
                name_from_definition(p, end, buf, n);
        if (remember) {
            lua_pushvalue(L, fidx);
            if (named)
                lua_pushstring(L, buf);
            else
                lua_pushinteger(L, *linedefined);
            lua_rawset(L, -3);
        }
    }
    lua_pop(L, 1); /* the cache */
    return named;
}

/* See dl__fn_display_name; remember as for definition_name. */
static void display_name(lua_State *L, int idx, char *buf, size_t n, bool remember)
{
    idx = lua_absindex(L, idx);
    int linedefined = -1;
    if (lua_type(L, idx) == LUA_TFUNCTION &&
        definition_name(L, idx, buf, n, &linedefined, remember))
        return;
    if (name_from_caller_locals(L, idx, buf, n)) return;
    if (name_from_globals(L, idx, buf, n)) return;
    if (linedefined > 0)
        snprintf(buf, n, "\xce\xbb@%d", linedefined);
    else
        snprintf(buf, n, "%s",
                 lua_type(L, idx) == LUA_TFUNCTION ? "function" : luaL_typename(L, idx));
}

void dl__fn_display_name(lua_State *L, int idx, char *buf, size_t n)
{
    display_name(L, idx, buf, n, false);
}

/* ---- labels ----------------------------------------------------------- */

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* How many times name was given before (and count this one). -1 on OOM. */
static long name_use(dl_script *S, const char *name)
{
    if (S->names_len * 2 >= S->names_cap) {
        size_t cap = S->names_cap ? S->names_cap * 2 : 64;
        dl_name_slot *n = calloc(cap, sizeof *n);
        if (!n) return -1;
        for (size_t i = 0; i < S->names_cap; i++) {
            if (!S->names[i].name) continue;
            size_t j = hash_name(S->names[i].name) & (cap - 1);
            while (n[j].name)
                j = (j + 1) & (cap - 1);
            n[j] = S->names[i];
        }
        free(S->names);
        S->names = n;
        S->names_cap = cap;
    }
    size_t j = hash_name(name) & (S->names_cap - 1);
    while (S->names[j].name && strcmp(S->names[j].name, name) != 0)
        j = (j + 1) & (S->names_cap - 1);
    if (!S->names[j].name) {
        S->names[j].name = strdup(name);
        if (!S->names[j].name) return -1;
        S->names_len++;
    }
    return (long)S->names[j].uses++;
}

/* Read what line [p, end) says about labels into site:
 *     [local] NAME = CTOR(...)            -> NAME, called name CTOR
 *     [local] A, B = CTOR(...), CTOR(...) -> A and B
 * (the call may also open with { or a string). Anything else names nothing.
 * On OOM the line names nothing, this time. */
static void read_label_site(const char *p, const char *end, dl_label_site *site)
{
    site->read = true;
    site->nnames = 0;
    p = skip_space(p, end);
    if (word_at(p, end, "local")) p = skip_space(p + 5, end);
    const char *names[8], *name_end[8];
    int nnames = 0;
    for (;;) {
        const char *ne = read_ident(p, end, false);
        if (!ne || nnames == 8) return;
        names[nnames] = p;
        name_end[nnames++] = ne;
        p = skip_space(ne, end);
        if (p < end && *p == ',') {
            p = skip_space(p + 1, end);
            continue;
        }
        break;
    }
    if (p >= end || *p != '=' || (p + 1 < end && p[1] == '=')) return;
    const char *q = skip_space(p + 1, end);
    const char *ce = read_ident(q, end, true);
    if (!ce) return;
    const char *after = skip_space(ce, end);
    if (after >= end || (*after != '(' && *after != '{' && *after != '"' && *after != '\'')) return;
    size_t len = (size_t)(ce - q) + 1;
    for (int i = 0; i < nnames; i++)
        len += (size_t)(name_end[i] - names[i]) + 1;
    char *text = malloc(len), *w = text;
    if (!text) return;
    for (int i = 0; i < nnames; i++) {
        size_t n = (size_t)(name_end[i] - names[i]);
        if (n > 79) n = 79; /* labels are at most 79 bytes of name */
        memcpy(w, names[i], n);
        w[n] = '\0';
        w += n + 1;
    }
    memcpy(w, q, (size_t)(ce - q));
    w[ce - q] = '\0';
    site->text = text;
    site->nnames = (uint8_t)nnames;
}

/* Label d from the line calling the constructor (see read_label_site; ctor
 * NULL accepts any called name). The k-th call made from a line naming
 * several takes the k-th name. A name given before gets a suffix (d, d_2,
 * d_3 ... in a loop). Each line is read once: a loop making Deferreds pays
 * for the line's parse one time, not every round. */
void dl__infer_label(lua_State *L, dl_deferred *d, const char *ctor)
{
    dl_script *S = dl__host(L);
    lua_Debug ar;
    if (!lua_getstack(L, 1, &ar) || !lua_getinfo(L, "Sl", &ar)) return;
    if (!ar.source || ar.source[0] != '@' || ar.currentline <= 0) return;
    dl_chunk *c = find_chunk(S, ar.source + 1);
    size_t li = (size_t)ar.currentline - 1;
    if (!c || li >= c->nlines || !c->lines[li]) return;
    dl_label_site *site = &c->sites[li];
    if (!site->read) read_label_site(c->lines[li], c->lines[li] + strlen(c->lines[li]), site);
    if (!site->nnames) return;
    const char *names[8];
    const char *w = site->text;
    for (int i = 0; i < site->nnames; i++) {
        names[i] = w;
        w += strlen(w) + 1;
    }
    if (ctor && strcmp(w, ctor) != 0) return; /* w: the called name */
    int nnames = site->nnames, which = 0;
    if (nnames > 1) {
        if (S->label_src == ar.source && S->label_line == ar.currentline && S->label_next < nnames)
            which = S->label_next;
        S->label_src = ar.source;
        S->label_line = ar.currentline;
        S->label_next = which + 1;
    }
    const char *name = names[which];
    long uses = name_use(S, name);
    if (uses < 0) return;
    char label[112]; /* name (at most 79 bytes), "_", digits */
    size_t len = strlen(name);
    copy_text(label, sizeof label, name, len);
    if (uses > 0) { /* name_N, without snprintf: this runs for every Deferred made */
        char digits[24];
        int k = 0;
        for (long u = uses + 1; u > 0; u /= 10)
            digits[k++] = (char)('0' + u % 10);
        label[len++] = '_';
        while (k > 0)
            label[len++] = digits[--k];
        label[len] = '\0';
    }
    dl_deferred_set_label(d, label);
    dl_release(dl_engine_take_raised(S->eng));
}

/* ===================================================================== */
/* Lua callables the engine calls                                        */
/* ===================================================================== */

typedef struct luafn {
    dl_script *S;
    int ref;     /* the callable */
    int argsref; /* table of extra arguments, or LUA_NOREF */
    int nargs;
    int input;     /* DL_INPUT_* */
    bool shared;   /* listed in the shared callables (see shared_luafn) ... */
    uint32_t uses; /* ... held by this many dl_fn (ref is LUA_NOREF while 0) ... */
    bool orphaned; /* ... and its holder has been collected: the last release frees it */
    char name[];
} luafn;

struct dl_call_ctx {
    luafn *fn;
    dl_value arg;
    dl_value out;
    char where[256];
};

/* Message handler of host->Lua calls: remember where the error happened. */
static int call_msgh(lua_State *L)
{
    dl_script *S = dl__host(L);
    if (S->call && !S->call->where[0]) dl__where(L, 1, S->call->where, sizeof S->call->where);
    return 1;
}

/* Runs under lua_pcall: [1] = the call ctx. */
static int call_protected(lua_State *L)
{
    dl_call_ctx *c = lua_touserdata(L, 1);
    luafn *f = c->fn;
    lua_settop(L, 0);
    luaL_checkstack(L, f->nargs + 4, "too many arguments");
    lua_rawgeti(L, LUA_REGISTRYINDEX, f->ref);
    int n = 0;
    if (f->input == DL_INPUT_ONE) {
        dl__push(L, c->arg);
        n++;
    } else if (f->input == DL_INPUT_UNPACK) {
        size_t k = dl_list_len(c->arg);
        luaL_checkstack(L, (int)k + f->nargs + 4, "too many arguments");
        for (size_t i = 0; i < k; i++)
            dl__push(L, dl_list_get(c->arg, i));
        n += (int)k;
    }
    if (f->argsref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, f->argsref);
        int t = lua_gettop(L);
        for (int i = 1; i <= f->nargs; i++)
            lua_rawgeti(L, t, i);
        lua_remove(L, t);
        n += f->nargs;
    }
    lua_call(L, n, 1);
    c->out = dl__to_value(L, -1);
    return 0;
}

/* Runs under lua_pcall: [1] = the call ctx, [2] = a callable's result. */
static int convert_protected(lua_State *L)
{
    dl_call_ctx *c = lua_touserdata(L, 1);
    c->out = dl__to_value(L, 2);
    return 0;
}

/* Values Lua can take or give back without allocating, so the common call
 * (one number in, one number out) needs no protected wrapper of its own
 * around pushing the argument and converting the result. */
static bool pushes_freely(dl_value v)
{
    return v.kind == DL_NONE || v.kind == DL_BOOL || v.kind == DL_INT || v.kind == DL_NUM;
}

/* The top of L as an engine value when that allocates nothing (nil, a
 * boolean, a number, a box): true with *out set, else false. */
static bool convert_freely(lua_State *L, dl_value *out)
{
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        *out = dl_none();
        return true;
    case LUA_TBOOLEAN:
        *out = dl_bool(lua_toboolean(L, -1));
        return true;
    case LUA_TNUMBER:
        *out = lua_isinteger(L, -1) ? dl_int(lua_tointeger(L, -1)) : dl_num(lua_tonumber(L, -1));
        return true;
    case LUA_TUSERDATA: {
        dl_box *b = dl__box(L, -1);
        if (!b) return false;
        *out = dl_retain(b->v);
        return true;
    }
    default:
        return false;
    }
}

static int luafn_call(void *ud, dl_value arg, dl_value *out)
{
    luafn *f = ud;
    dl_script *S = f->S;
    if (S->closing || S->closed) {
        *out = dl_fail_value(&dl_type_RuntimeError, "the script has ended");
        return DL_ERAISED;
    }
    lua_State *L = S->cur ? S->cur : S->L;
    if (!lua_checkstack(L, 6)) {
        *out = dl_fail_value(&dl_type_RuntimeError, "stack overflow");
        return DL_ERAISED;
    }
    dl__charge(S, L, DL_CROSSING_COST);
    dl_call_ctx c; /* not `= {...}`: that would clear all of where[] on every call */
    c.fn = f;
    c.arg = arg;
    c.out = dl_none();
    c.where[0] = '\0';
    dl_call_ctx *saved = S->call;
    lua_State *hint = S->loc_hint;
    S->call = &c;
    S->loc_hint = NULL; /* the callback's own lines come first */
    int base = lua_gettop(L);
    lua_pushcfunction(L, call_msgh);
    int st;
    if (f->input == DL_INPUT_ONE && f->argsref == LUA_NOREF && pushes_freely(arg)) {
        /* Nothing here allocates outside the protected call. */
        lua_rawgeti(L, LUA_REGISTRYINDEX, f->ref);
        dl__push(L, arg);
        st = lua_pcall(L, 1, 1, base + 1);
        if (st == LUA_OK) {
            if (!convert_freely(L, &c.out)) {
                lua_pushcfunction(L, convert_protected);
                lua_pushlightuserdata(L, &c);
                lua_pushvalue(L, -3);
                st = lua_pcall(L, 2, 0, base + 1);
            }
        }
    } else {
        lua_pushcfunction(L, call_protected);
        lua_pushlightuserdata(L, &c);
        st = lua_pcall(L, 1, 0, base + 1);
    }
    S->cur = L;
    S->call = saved;
    S->loc_hint = hint;
    if (st == LUA_OK) {
        lua_settop(L, base);
        *out = c.out;
        return 0;
    }
    dl_release(c.out);
    *out = dl__error_to_failure(L, -1, c.where);
    lua_settop(L, base);
    return DL_ERAISED;
}

static void luafn_release(void *ud)
{
    luafn *f = ud;
    dl_script *S = f->S;
    bool open = !S->closing && !S->closed;
    if (f->shared) {
        /* The function stays listed (weakly) with its name: adding it again
         * only takes a new reference. */
        if (--f->uses > 0) return;
        if (S->last_shared == f) S->last_shared = NULL;
        if (open) luaL_unref(S->L, LUA_REGISTRYINDEX, f->ref);
        f->ref = LUA_NOREF;
        if (f->orphaned) free(f);
        return;
    }
    if (open) {
        luaL_unref(S->L, LUA_REGISTRYINDEX, f->ref);
        luaL_unref(S->L, LUA_REGISTRYINDEX, f->argsref);
    }
    free(f);
}

/* __gc of a shared callable's holder: its function is gone (the table is
 * weak-keyed), so no pair holds the callable, except while lua_close
 * collects everything: then the last release frees it. */
static int holder_gc(lua_State *L)
{
    luafn **h = lua_touserdata(L, 1);
    luafn *f = h ? *h : NULL;
    if (!f) return 0;
    *h = NULL;
    f->orphaned = true;
    if (f->uses == 0) free(f);
    return 0;
}

int dl__new_weak_table(lua_State *L, const char *mode)
{
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushstring(L, mode);
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

void dl__open_shared(lua_State *L, dl_script *S)
{
    S->shared_ref = dl__new_weak_table(L, "k"); /* function -> holder of its luafn */
    lua_createtable(L, 0, 2);                   /* the holders' metatable */
    lua_pushcfunction(L, holder_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    S->holder_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static const char *luafn_name(void *ud)
{
    return ((luafn *)ud)->name;
}

static const dl_fn_class luafn_class = {luafn_call, luafn_release, luafn_name, "function"};

bool dl__callable(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TFUNCTION) return true;
    if (!luaL_getmetafield(L, idx, "__call")) return false;
    lua_pop(L, 1);
    return true;
}

void dl__check_callable(lua_State *L, int idx, const char *what)
{
    if (!dl__callable(L, idx))
        dl__raise_type(L, &dl_type_AssertionError, "%s must be callable, got %s", what,
                       luaL_typename(L, idx));
}

static luafn *luafn_new(dl_script *S, lua_State *L, int fidx, int argfirst, int nargs, int input,
                        const char *name)
{
    int argsref = LUA_NOREF;
    if (nargs > 0) {
        lua_createtable(L, nargs, 0);
        for (int i = 0; i < nargs; i++) {
            lua_pushvalue(L, argfirst + i);
            lua_rawseti(L, -2, i + 1);
        }
        argsref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_pushvalue(L, fidx);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    size_t len = strlen(name);
    luafn *f = malloc(sizeof *f + len + 1);
    if (!f) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        luaL_unref(L, LUA_REGISTRYINDEX, argsref);
        luaL_error(L, "out of memory");
    }
    f->S = S;
    f->ref = ref;
    f->argsref = argsref;
    f->nargs = nargs;
    f->input = input;
    f->shared = false;
    f->uses = 1;
    f->orphaned = false;
    memcpy(f->name, name, len + 1);
    return f;
}

/* The shared callable of the function at fidx, one more use of it, or NULL
 * when fidx cannot share: not a function, or its definition line names
 * nothing (its name then depends on the caller, see dl__fn_display_name).
 * A loop adding the same function a million times makes one luafn and one
 * name, and takes a registry reference whenever no pair holds it.
 *
 * The shared table maps the function, weakly, to a holder (a userdata whose
 * __gc frees the luafn): listing a function never keeps it alive, so when
 * it is collected is what it would be without deferlab. */
static luafn *shared_luafn(dl_script *S, lua_State *L, int fidx)
{
    if (lua_type(L, fidx) != LUA_TFUNCTION) return NULL;
    /* The last one shared, by address: while it is held, it holds its
     * function, so no other function can have that address. */
    const void *fp = lua_topointer(L, fidx);
    if (S->last_shared && S->last_shared_fn == fp) {
        S->last_shared->uses++;
        return S->last_shared;
    }
    luaL_checkstack(L, 4, NULL);
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->shared_ref); /* push shared */
    int t = lua_gettop(L);
    lua_pushvalue(L, fidx);
    if (lua_rawget(L, t) == LUA_TUSERDATA) {
        luafn *f = *(luafn **)lua_touserdata(L, -1);
        if (f) {
            if (f->uses == 0) { /* may raise: nothing has changed yet */
                lua_pushvalue(L, fidx);
                f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
            }
            lua_settop(L, t - 1);
            f->uses++;
            S->last_shared = f;
            S->last_shared_fn = fp;
            return f;
        }
    }
    lua_pop(L, 1);
    char name[128];
    int linedefined;
    if (!definition_name(L, fidx, name, sizeof name, &linedefined, true)) {
        lua_settop(L, t - 1);
        return NULL;
    }
    /* Everything that may raise comes first, while nothing is owned: the
     * holder (empty until the luafn exists), then the table's entry for it.
     * An empty holder left behind by a failure is replaced next time. */
    luafn **holder = lua_newuserdatauv(L, sizeof *holder, 0);
    *holder = NULL;
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->holder_mt_ref);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, fidx);
    lua_pushvalue(L, -2);
    lua_rawset(L, t); /* shared[fn] = holder */
    luafn *f = luafn_new(S, L, fidx, 0, 0, DL_INPUT_ONE, name);
    f->shared = true;
    *holder = f;
    lua_settop(L, t - 1);
    S->last_shared = f;
    S->last_shared_fn = fp;
    return f;
}

dl_fn dl__lua_fn(lua_State *L, int fidx, int argfirst, int nargs, int input)
{
    dl_script *S = dl__host(L);
    fidx = lua_absindex(L, fidx);
    if (nargs == 0 && input == DL_INPUT_ONE) {
        luafn *f = shared_luafn(S, L, fidx);
        if (f) return dl_fn_make(&luafn_class, f);
    }
    char name[128];
    display_name(L, fidx, name, sizeof name, true);
    return dl_fn_make(&luafn_class, luafn_new(S, L, fidx, argfirst, nargs, input, name));
}

/* Runs under lua_pcall: [1..n] = the callable and its arguments. */
static int value_protected(lua_State *L)
{
    dl_script *S = dl__host(L);
    lua_call(L, lua_gettop(L) - 1, 1);
    S->call->out = dl__to_value(L, -1);
    return 0;
}

int dl__pcall_value(dl_script *S, lua_State *L, int nargs, dl_value *out)
{
    int base = lua_gettop(L) - nargs - 1;
    if (!lua_checkstack(L, 4)) {
        lua_settop(L, base);
        *out = dl_fail_value(&dl_type_RuntimeError, "stack overflow");
        return DL_ERAISED;
    }
    dl__charge(S, L, DL_CROSSING_COST);
    dl_call_ctx c = {NULL, dl_none(), dl_none(), ""};
    dl_call_ctx *saved = S->call;
    S->call = &c;
    lua_pushcfunction(L, call_msgh);
    lua_insert(L, base + 1);
    lua_pushcfunction(L, value_protected);
    lua_insert(L, base + 2);
    int st = lua_pcall(L, nargs + 1, 0, base + 1);
    S->cur = L;
    S->call = saved;
    if (st != LUA_OK) {
        dl_release(c.out);
        *out = dl__error_to_failure(L, -1, c.where);
        lua_settop(L, base);
        return DL_ERAISED;
    }
    lua_settop(L, base);
    *out = c.out;
    return 0;
}
