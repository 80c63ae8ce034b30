/* deferred.c - the Deferred and its callback-chain trampoline.
 *
 * This follows Twisted 22.4's _runCallbacks step by step (see the reference,
 * section 4.3). The essential trick: when a callback returns an unfired
 * Deferred R, we do not recurse. We append a *continuation* pair to R that
 * names the waiting Deferred; when R's loop reaches it, the result is handed
 * over and the waiter is pushed on an explicit, heap-allocated stack. The C
 * stack therefore stays flat however deep returned Deferreds nest.
 */
#include "deferred.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define DL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DL_ASAN 1
#endif
#endif
#ifdef DL_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* ===================================================================== */
/* Callables                                                             */
/* ===================================================================== */

const char *dl_fn_name(dl_fn f)
{
    if (!f.cls) return "passthru";
    if (f.cls->name) {
        const char *n = f.cls->name(f.ud);
        if (n) return n;
    }
    return f.cls->static_name ? f.cls->static_name : "function";
}

int dl_fn_call(dl_fn f, dl_value arg, dl_value *out)
{
    if (!f.cls) {
        *out = dl_retain(arg);
        return 0;
    }
    return f.cls->call(f.ud, arg, out);
}

void dl_fn_release(dl_fn f)
{
    if (f.cls && f.cls->release) f.cls->release(f.ud);
}

typedef struct cfunc_closure {
    dl_cfunc fn;
    void *ud;
    char name[];
} cfunc_closure;

/* Closures whose name is short come in one size and are recycled through a
 * small per-thread free list: a C program adding callbacks in a loop would
 * otherwise pay a malloc and a free per callback. Under AddressSanitizer
 * every closure is a plain malloc, so a use-after-free is still caught. */
#define CFUNC_SMALL     48 /* bytes: a closure with a name of up to 31 bytes */
#define CFUNC_CACHE_MAX 1024

_Static_assert(sizeof(cfunc_closure) + 32 <= CFUNC_SMALL, "small closures hold 31-byte names");

#ifndef DL_ASAN
static _Thread_local void *cfunc_free;
static _Thread_local size_t cfunc_nfree;
#endif

static cfunc_closure *cfunc_alloc(size_t size)
{
#ifndef DL_ASAN
    if (size <= CFUNC_SMALL) {
        if (cfunc_free) {
            void *c = cfunc_free;
            memcpy(&cfunc_free, c, sizeof c);
            cfunc_nfree--;
            return c;
        }
        size = CFUNC_SMALL;
    }
#endif
    return malloc(size);
}

static void cfunc_release(void *ud)
{
#ifndef DL_ASAN
    cfunc_closure *c = ud;
    if (sizeof *c + strlen(c->name) + 1 <= CFUNC_SMALL && cfunc_nfree < CFUNC_CACHE_MAX) {
        memcpy(ud, &cfunc_free, sizeof cfunc_free);
        cfunc_free = ud;
        cfunc_nfree++;
        return;
    }
#endif
    free(ud);
}

static int cfunc_call(void *ud, dl_value arg, dl_value *out)
{
    cfunc_closure *c = ud;
    *out = c->fn(arg, c->ud);
    return dl_is_failure(*out) ? DL_ERAISED : 0;
}

static const char *cfunc_name(void *ud)
{
    return ((cfunc_closure *)ud)->name;
}

static const dl_fn_class cfunc_class = {cfunc_call, cfunc_release, cfunc_name, "function"};

dl_fn dl_fn_c(dl_cfunc fn, void *ud, const char *name)
{
    if (!name) name = "function";
    size_t len = strlen(name);
    cfunc_closure *c = cfunc_alloc(sizeof *c + len + 1);
    if (!c) return dl_passthru();
    c->fn = fn;
    c->ud = ud;
    memcpy(c->name, name, len + 1);
    return dl_fn_make(&cfunc_class, c);
}

/* The continuation: a pair whose both slots name the waiting Deferred. The
 * pair owns one reference to it, held in cb.ud. It is never "called". */
static const dl_fn_class continue_class = {NULL, NULL, NULL, "continue"};

static bool is_continuation(const dl_pair *p)
{
    return p->cb.cls == &continue_class;
}

static void pair_release(dl_pair *p)
{
    if (is_continuation(p)) {
        dl_deferred_release(p->cb.ud);
        return;
    }
    dl_fn_release(p->cb);
    dl_fn_release(p->eb);
}

/* ===================================================================== */
/* Events                                                                */
/* ===================================================================== */

static void emit(dl_deferred *d, dl_event_kind kind, dl_event *ev)
{
    ev->kind = kind;
    ev->d = d->hdr.id;
    dl_engine_emit(d->eng, ev);
}

static void emit_simple(dl_deferred *d, dl_event_kind kind, uint32_t other, dl_value v)
{
    if (!dl_engine_wants(d->eng, kind)) return;
    dl_event ev = {.other = other, .value = v};
    emit(d, kind, &ev);
}

static void emit_count(dl_deferred *d, dl_event_kind kind, int64_t count)
{
    if (!dl_engine_wants(d->eng, kind)) return;
    dl_event ev = {.count = count};
    emit(d, kind, &ev);
}

static void emit_text(dl_deferred *d, dl_event_kind kind, const char *text, dl_value v)
{
    if (!dl_engine_wants(d->eng, kind)) return;
    dl_event ev = {.text = text, .value = v};
    emit(d, kind, &ev);
}

/* ===================================================================== */
/* Memory: slabs of Deferreds, a cache of callback rings                 */
/* ===================================================================== */

/* Deferreds are carved from 64 KiB slabs aligned to their size, so a slot
 * finds its slab by masking its address. Slabs come 32 at a time from a
 * 2 MiB group on huge pages (bigmem.h, new_group). A bitmap per slab says
 * which slots are live, which is how dl_engine_free finds every Deferred still alive
 * (no list link per Deferred). Freed slots are reused LIFO. Under
 * AddressSanitizer a freed slot is poisoned and never reused, so a
 * use-after-free of a Deferred is still reported.
 *
 * Callback rings (the FIFO once a Deferred holds more than one pair) are
 * powers of two. Rings of 2 and 4 pairs (a callback plus the continuation a
 * returned Deferred appends, say) are carved from slabs too, with a free
 * list per size; larger ones come from malloc and freed ones wait in a small
 * per-engine cache per size, so a steady stream of chains allocates none.
 * Under AddressSanitizer rings go straight to malloc/free. */

#define SLAB_BYTES     ((size_t)1 << 16)
#define SLAB_SLOTS     576
#define GROUP_BYTES    ((size_t)2 << 20)
#define RING_CLASSES   7 /* capacities 2 .. 128 are cached */
#define RING_CACHE_MAX 64
#define RING_SLAB_MAX  2 /* rings of up to 1 << 2 pairs live in slabs */

typedef struct dslab {
    struct dslab *next;
    uint64_t used[SLAB_SLOTS / 64];
    dl_deferred slots[SLAB_SLOTS];
} dslab;

_Static_assert(sizeof(dslab) <= SLAB_BYTES, "a slab must fit its alignment");
_Static_assert(SLAB_SLOTS % 64 == 0, "whole bitmap words");

typedef struct dl_dheap {
    dslab *slabs; /* newest first; slabs->slots[bump..] were never used */
    size_t bump;
    dl_deferred *free; /* freed slots, linked through their first bytes */
    char *fresh;       /* the next unused slab of the newest group */
    size_t nfresh;     /* unused slabs left there */
    void **groups;     /* every group's malloc'ed block */
    size_t ngroups, capgroups;
    dl_pair *rings[RING_CLASSES]; /* freed rings by log2 - 1, linked through their first bytes */
    size_t nrings[RING_CLASSES];
    char *ring_bump[RING_SLAB_MAX]; /* never-used space in the current ring slab */
    size_t ring_left[RING_SLAB_MAX];
} dl_dheap;

static dslab *slab_of(const dl_deferred *d)
{
    return (dslab *)((uintptr_t)d & ~(uintptr_t)(SLAB_BYTES - 1));
}

/* Map a new group: 2 MiB, aligned to 2 MiB, on a huge page where the kernel
 * allows (bigmem.h): faulting memory in page by page was most of what
 * creating a million Deferreds cost. */
static bool new_group(dl_dheap *h)
{
    if (h->ngroups == h->capgroups) {
        size_t cap = h->capgroups ? h->capgroups * 2 : 8;
        void **g = realloc(h->groups, cap * sizeof *g);
        if (!g) return false;
        h->groups = g;
        h->capgroups = cap;
    }
    char *a = dl_big_alloc(GROUP_BYTES);
    if (!a) return false;
    h->groups[h->ngroups++] = a;
    h->fresh = a;
    h->nfresh = GROUP_BYTES / SLAB_BYTES;
    return true;
}

/* A fresh 64 KiB slab from the newest group (a new group when none is
 * left). NULL on OOM. */
static char *take_slab(dl_dheap *h)
{
    if (!h->nfresh && !new_group(h)) return NULL;
    char *s = h->fresh;
    h->fresh += SLAB_BYTES;
    h->nfresh--;
    return s;
}

/* Free slots and rings hold the link to the next free one in their first
 * bytes; read it without type punning. */
static void *load_link(const void *slot)
{
    void *next;
    memcpy(&next, slot, sizeof next);
    return next;
}

static dl_deferred *dheap_alloc(dl_engine *eng)
{
    dl_dheap *h = eng->dheap;
    if (!h) {
        h = calloc(1, sizeof *h);
        if (!h) return NULL;
        h->bump = SLAB_SLOTS;
        eng->dheap = h;
    }
    dl_deferred *d;
    if (h->free) {
        d = h->free;
        h->free = load_link(d);
    } else {
        if (h->bump == SLAB_SLOTS) {
            dslab *s = (dslab *)take_slab(h);
            if (!s) return NULL;
            s->next = h->slabs;
            memset(s->used, 0, sizeof s->used);
#ifdef DL_ASAN
            ASAN_POISON_MEMORY_REGION(s->slots, sizeof s->slots);
#endif
            h->slabs = s;
            h->bump = 0;
        }
        d = &h->slabs->slots[h->bump++];
    }
#ifdef DL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(d, sizeof *d);
#endif
    dslab *s = slab_of(d);
    size_t i = (size_t)(d - s->slots);
    s->used[i / 64] |= (uint64_t)1 << (i % 64);
    memset(d, 0, sizeof *d);
    return d;
}

static void dheap_free(dl_engine *eng, dl_deferred *d)
{
    dslab *s = slab_of(d);
    size_t i = (size_t)(d - s->slots);
    s->used[i / 64] &= ~((uint64_t)1 << (i % 64));
#ifdef DL_ASAN
    (void)eng;
    ASAN_POISON_MEMORY_REGION(d, sizeof *d);
#else
    memcpy(d, &eng->dheap->free, sizeof eng->dheap->free);
    eng->dheap->free = d;
#endif
}

static dl_pair *ring_alloc(dl_engine *eng, unsigned log2)
{
#ifndef DL_ASAN
    dl_dheap *h = eng->dheap;
    unsigned c = log2 - 1;
    if (c < RING_CLASSES && h->nrings[c]) {
        dl_pair *r = h->rings[c];
        memcpy(&h->rings[c], r, sizeof r);
        h->nrings[c]--;
        return r;
    }
    if (c < RING_SLAB_MAX) {
        size_t bytes = sizeof(dl_pair) << log2;
        if (h->ring_left[c] < bytes) {
            char *s = take_slab(h);
            if (!s) return NULL;
            h->ring_bump[c] = s;
            h->ring_left[c] = SLAB_BYTES;
        }
        dl_pair *r = (dl_pair *)h->ring_bump[c];
        h->ring_bump[c] += bytes;
        h->ring_left[c] -= bytes;
        return r;
    }
#else
    (void)eng;
#endif
    return malloc(sizeof(dl_pair) << log2);
}

static void ring_free(dl_engine *eng, dl_pair *r, unsigned log2)
{
#ifndef DL_ASAN
    unsigned c = log2 - 1;
    if (c < RING_CLASSES && (c < RING_SLAB_MAX || eng->dheap->nrings[c] < RING_CACHE_MAX)) {
        memcpy(r, &eng->dheap->rings[c], sizeof r);
        eng->dheap->rings[c] = r;
        eng->dheap->nrings[c]++;
        return;
    }
#else
    (void)eng;
    (void)log2;
#endif
    free(r);
}

static void dheap_destroy(dl_engine *eng)
{
    dl_dheap *h = eng->dheap;
    if (!h) return;
    for (unsigned c = RING_SLAB_MAX; c < RING_CLASSES; c++) {
        while (h->rings[c]) {
            dl_pair *r = h->rings[c];
            h->rings[c] = load_link(r);
            free(r);
        }
    }
#ifdef DL_ASAN
    for (dslab *s = h->slabs; s; s = s->next)
        ASAN_UNPOISON_MEMORY_REGION(s->slots, sizeof s->slots);
#endif
    for (size_t g = 0; g < h->ngroups; g++)
        dl_big_free(h->groups[g], GROUP_BYTES);
    free(h->groups);
    free(h);
    eng->dheap = NULL;
}

/* ===================================================================== */
/* Life cycle                                                            */
/* ===================================================================== */

static dl_deferred_extra *extra_of(dl_deferred *d)
{
    if (!d->extra) {
        d->extra = calloc(1, sizeof *d->extra);
        if (d->extra) d->extra->unhandled = dl_none();
    }
    return d->extra;
}

static void set_unhandled(dl_deferred *d, dl_value f)
{
    if (!d->extra && dl_is_none(f)) return;
    dl_deferred_extra *x = extra_of(d);
    if (!x) return; /* OOM: we lose only the report, never the result */
    dl_value old = x->unhandled;
    x->unhandled = dl_retain(f);
    dl_release(old);
}

static dl_pair pop_pair(dl_deferred *d);

/* Release everything d holds (pairs, result, canceller, subclass state) but
 * not the unhandled failure, which is reported when d dies. */
static void clear_contents(dl_deferred *d)
{
    while (d->cb_len) {
        dl_pair p = pop_pair(d);
        pair_release(&p);
    }
    if (d->cb_cap_log2) ring_free(d->eng, d->cbs.ring, d->cb_cap_log2);
    d->cb_cap_log2 = 0;
    d->cb_head = 0;
    dl_value r = d->result;
    d->result = dl_none();
    dl_release(r);
    if (d->extra) {
        dl_deferred_extra *x = d->extra;
        dl_fn c = x->canceller;
        x->canceller = dl_passthru();
        dl_fn_release(c);
        if (x->cls && x->cls->destroy_impl && x->impl) {
            void *impl = x->impl;
            x->impl = NULL;
            x->cls->destroy_impl(impl);
        }
        for (uint32_t i = 0; i < x->chained_targets; i++) {
            dl_deferred *t = x->targets[i];
            if (t->extra && t->extra->chain_source == d) t->extra->chain_source = NULL;
            if (t->chained_to == d) t->chained_to = NULL; /* d is going away */
            dl_deferred_release(t);
        }
        free(x->targets);
        x->targets = NULL;
        x->chained_targets = 0;
    }
}

static void destroy_one(dl_deferred *d)
{
    dl_engine *eng = d->eng;
    if (d->extra && dl_is_failure(d->extra->unhandled)) {
        /* Twisted's DebugInfo.__del__: report once, while d is still whole. */
        d->hdr.refs = 1;
        eng->unhandled_reported++;
        if (dl_engine_wants(eng, DL_EV_UNHANDLED)) {
            /* The label rides along: an observer that listens to nothing
             * else (run --quiet) can still name the Deferred. */
            dl_event ev = {.value = d->extra->unhandled, .name = d->extra->label};
            emit(d, DL_EV_UNHANDLED, &ev);
        }
        d->hdr.refs = 0;
    }
    clear_contents(d);
    if (d->extra) {
        dl_release(d->extra->unhandled);
        free(d->extra->label);
        free(d->extra);
    }
    eng->live--;
    dheap_free(eng, d);
}

/* The last reference went. Freeing a Deferred can drop the last reference
 * to others (a chainDeferred line, a list of inputs ...); freeing those
 * from inside would recurse once per link. So dead Deferreds queue up and
 * the outermost release frees them one after another, in the order they
 * died: the C stack stays flat however long the line. chained_to, no longer
 * needed, links the queue. */
static void deferred_destroy(dl_obj *o)
{
    dl_deferred *d = (dl_deferred *)o;
    dl_engine *eng = d->eng;
    d->chained_to = NULL;
    if (eng->trash_tail)
        eng->trash_tail->chained_to = d;
    else
        eng->trash_head = d;
    eng->trash_tail = d;
    if (eng->freeing) return;
    eng->freeing = true;
    while (eng->trash_head) {
        dl_deferred *x = eng->trash_head;
        eng->trash_head = x->chained_to;
        if (!eng->trash_head) eng->trash_tail = NULL;
        destroy_one(x);
    }
    eng->freeing = false;
}

static int deferred_obj_repr(const dl_obj *o, char *buf, size_t n)
{
    return dl_deferred_repr((const dl_deferred *)o, buf, n);
}

static const dl_class deferred_class = {"Deferred", deferred_destroy, deferred_obj_repr};

dl_deferred *dl_deferred_new_sub(dl_engine *eng, dl_fn canceller, const dl_deferred_class *cls,
                                 void *impl)
{
    dl_deferred *d = dheap_alloc(eng);
    if (!d) goto oom;
    if (canceller.cls || cls) {
        d->extra = calloc(1, sizeof *d->extra);
        if (!d->extra) goto oom;
        d->extra->unhandled = dl_none();
        d->extra->canceller = canceller;
        d->extra->cls = cls;
        d->extra->impl = impl;
    }
    dl_obj_init(&d->hdr, &deferred_class);
    d->hdr.id = ++eng->next_id;
    d->eng = eng;
    d->result = dl_none();
    eng->live++;
    emit_text(d, DL_EV_CREATED, cls ? cls->name : "Deferred", dl_none());
    return d;
oom:
    if (d) dheap_free(eng, d);
    dl_fn_release(canceller);
    if (cls && cls->destroy_impl && impl) cls->destroy_impl(impl);
    return NULL;
}

dl_deferred *dl_deferred_new(dl_engine *eng, dl_fn canceller)
{
    return dl_deferred_new_sub(eng, canceller, NULL, NULL);
}

dl_deferred *dl_deferred_retain(dl_deferred *d)
{
    dl_obj_retain(d);
    return d;
}

void dl_deferred_release(dl_deferred *d)
{
    dl_obj_release(d);
}

static int by_id(const void *a, const void *b)
{
    uint32_t x = (*(dl_deferred *const *)a)->hdr.id, y = (*(dl_deferred *const *)b)->hdr.id;
    return x < y ? -1 : x > y;
}

/* Called by dl_engine_free: tear down every Deferred still alive, cycles
 * included, reporting unhandled failures in creation order. */
void dl__deferred_teardown_all(dl_engine *eng);
void dl__deferred_teardown_all(dl_engine *eng)
{
    dl_dheap *h = eng->dheap;
    if (!h) return;
    size_t n = 0;
    for (dslab *s = h->slabs; s; s = s->next)
        for (size_t w = 0; w < SLAB_SLOTS / 64; w++)
            n += (size_t)__builtin_popcountll(s->used[w]);
    dl_deferred **all = n ? malloc(n * sizeof *all) : NULL;
    if (n && !all) {
        /* Out of memory: tear down slab by slab (report order may differ). */
        for (dslab *s = h->slabs; s; s = s->next)
            for (size_t i = 0; i < SLAB_SLOTS; i++)
                if (s->used[i / 64] >> (i % 64) & 1) clear_contents(&s->slots[i]);
        for (dslab *s = h->slabs; s; s = s->next)
            for (size_t i = 0; i < SLAB_SLOTS; i++)
                if (s->used[i / 64] >> (i % 64) & 1 && s->slots[i].hdr.refs != DL_IMMORTAL) {
                    s->slots[i].hdr.refs = 1;
                    dl_deferred_release(&s->slots[i]);
                }
        dheap_destroy(eng);
        return;
    }
    size_t k = 0;
    for (dslab *s = h->slabs; s; s = s->next)
        for (size_t i = 0; i < SLAB_SLOTS; i++)
            if (s->used[i / 64] >> (i % 64) & 1) all[k++] = &s->slots[i];
    if (n) qsort(all, n, sizeof *all, by_id); /* ids grow with creation */
    for (size_t i = 0; i < n; i++)
        dl_obj_retain(all[i]); /* nothing may die while we cut the links */
    for (size_t i = n; i-- > 0;)
        clear_contents(all[i]); /* newest first */
    /* Contents are gone, so each release below frees exactly one Deferred. */
    for (size_t i = 0; i < n; i++) {
        if (all[i]->hdr.refs != DL_IMMORTAL) {
            all[i]->hdr.refs = 1;
            dl_deferred_release(all[i]);
        }
    }
    free(all);
    dheap_destroy(eng);
}

/* ===================================================================== */
/* The callback FIFO (a ring buffer; the first pair is stored inline)    */
/* ===================================================================== */

static dl_pair *pairs_of(dl_deferred *d)
{
    return d->cb_cap_log2 ? d->cbs.ring : &d->cbs.one;
}

/* Double a full FIFO: its pairs are old[head..cap) then old[0..head). */
static int grow_pairs(dl_deferred *d)
{
    uint32_t cap = 1u << d->cb_cap_log2, head = d->cb_head;
    if (d->cb_cap_log2 >= 30) return DL_ENOMEM;
    dl_pair *n = ring_alloc(d->eng, d->cb_cap_log2 + 1u);
    if (!n) return DL_ENOMEM;
    dl_pair *old = pairs_of(d);
    memcpy(n, old + head, (cap - head) * sizeof *n);
    memcpy(n + (cap - head), old, head * sizeof *n);
    if (d->cb_cap_log2) ring_free(d->eng, old, d->cb_cap_log2);
    d->cbs.ring = n;
    d->cb_head = 0;
    d->cb_cap_log2++;
    return 0;
}

static int push_pair(dl_deferred *d, dl_pair p)
{
    uint32_t cap = 1u << d->cb_cap_log2;
    if (d->cb_len == cap) {
        if (grow_pairs(d) != 0) return DL_ENOMEM;
        cap *= 2;
    }
    pairs_of(d)[(d->cb_head + d->cb_len) & (cap - 1)] = p;
    d->cb_len++;
    d->cb_added++;
    return 0;
}

static dl_pair pop_pair(dl_deferred *d)
{
    dl_pair p = pairs_of(d)[d->cb_head];
    d->cb_head = (d->cb_head + 1) & ((1u << d->cb_cap_log2) - 1);
    d->cb_len--;
    return p;
}

/* ===================================================================== */
/* The trampoline                                                        */
/* ===================================================================== */

/* The explicit stack of Deferreds being processed ("chain" in Twisted).
 * Each entry holds a reference. */
typedef struct chain_stack {
    dl_deferred **items;
    size_t len, cap;
    dl_deferred *small[16];
} chain_stack;

static bool chain_push(chain_stack *c, dl_deferred *d)
{
    if (c->len == c->cap) {
        size_t cap = c->cap * 2;
        dl_deferred **n;
        if (c->items == c->small) {
            n = malloc(cap * sizeof *n);
            if (n) memcpy(n, c->small, c->len * sizeof *n);
        } else {
            n = realloc(c->items, cap * sizeof *n);
        }
        if (!n) return false;
        c->items = n;
        c->cap = cap;
    }
    c->items[c->len++] = d;
    return true;
}

static void emit_call(dl_deferred *d, dl_event_kind kind, uint32_t index, dl_slot slot,
                      const char *name, dl_value v, int64_t raised)
{
    dl_event ev = {.index = index, .slot = slot, .name = name, .value = v, .count = raised};
    emit(d, kind, &ev);
}

static void set_result(dl_deferred *d, dl_value v /* owned */)
{
    dl_value old = d->result;
    d->result = v;
    dl_release(old);
}

/* Hand the waiting Deferred t (whose continuation cur just reached) cur's
 * result. Returns the reference to t that the continuation pair owned. */
static dl_deferred *hand_over(dl_deferred *cur, dl_deferred *t)
{
    dl_value v = cur->result;
    cur->result = dl_none();
    set_unhandled(cur, dl_none());
    set_result(t, v);
    t->paused--;
    if (dl_engine_observed(cur->eng)) {
        emit_simple(t, DL_EV_HANDOFF, cur->hdr.id, t->result);
        emit_count(t, DL_EV_UNPAUSED, t->paused);
    }
    return t;
}

/* cur's callback returned the Deferred r (cur->result holds it). Either wait
 * on r or take its ready result. Returns true when cur now waits. */
static bool returned_deferred(dl_deferred *cur, dl_deferred *r)
{
    dl_engine *eng = cur->eng;
    if (r == cur)
        emit_text(cur, DL_EV_WARNING,
                  "Callback returned the Deferred it was attached to; this breaks the callback "
                  "chain and will raise an exception in the future.",
                  dl_none());
    if (!r->called || r->result.kind == DL_DEFERRED || r->paused != 0) {
        /* Not ready: pause cur and append a continuation to r. Appending
         * directly (not add_callbacks) never starts r's loop. */
        cur->paused++;
        cur->chained_to = r;
        dl_pair cont = {dl_fn_make(&continue_class, dl_deferred_retain(cur)),
                        dl_fn_make(&continue_class, cur)};
        if (push_pair(r, cont) != 0) {
            /* Out of memory: fail cur instead of stalling it silently. */
            dl_deferred_release(cur);
            cur->paused--;
            cur->chained_to = NULL;
            set_result(cur, dl_fail_value(&dl_type_RuntimeError, "out of memory while chaining"));
            return false;
        }
        if (dl_engine_observed(eng)) {
            emit_count(cur, DL_EV_PAUSED, cur->paused);
            if (dl_engine_wants(eng, DL_EV_ADDED)) {
                dl_event ev = {.index = r->cb_added, .other = cur->hdr.id, .name = "continue"};
                emit(r, DL_EV_ADDED, &ev);
            }
            emit_simple(cur, DL_EV_WAITING, r->hdr.id, dl_none());
        }
        return true;
    }
    /* Ready: steal it. r's result becomes None and r can no longer report it. */
    dl_value v = r->result;
    r->result = dl_none();
    set_unhandled(r, dl_none());
    dl_deferred_retain(r); /* keep r alive across replacing cur->result */
    set_result(cur, v);
    emit_simple(cur, DL_EV_STOLEN, r->hdr.id, cur->result);
    dl_deferred_release(r);
    return false;
}

static void run_callbacks(dl_deferred *self)
{
    if (self->running) return; /* re-entrancy guard: only for this Deferred */
    dl_engine *eng = self->eng;
    chain_stack chain = {chain.small, 0, 16, {0}};
    chain_push(&chain, dl_deferred_retain(self));

    while (chain.len) {
        dl_deferred *cur = chain.items[chain.len - 1];
        if (cur->paused != 0) break; /* the whole walk stops here (reference C10) */
        bool finished = true;
        cur->chained_to = NULL;
        while (cur->cb_len) {
            uint32_t index = cur->cb_added - cur->cb_len + 1;
            dl_pair item = pop_pair(cur);
            bool failing = dl_is_failure(cur->result);
            dl_slot slot = failing ? DL_SLOT_ERRBACK : DL_SLOT_CALLBACK;

            if (is_continuation(&item)) {
                dl_deferred *t = hand_over(cur, item.cb.ud);
                if (!chain_push(&chain, t)) {
                    /* Cannot grow the stack: resume t by the recursive route. */
                    run_callbacks(t);
                    dl_deferred_release(t);
                    continue;
                }
                finished = false;
                break;
            }

            dl_fn fn = failing ? item.eb : item.cb;
            dl_fn unused = failing ? item.cb : item.eb;
            dl_fn_release(unused);
            if (!fn.cls) {
                if (dl_engine_wants(eng, DL_EV_PASS))
                    emit_call(cur, DL_EV_PASS, index, slot, NULL, cur->result, 0);
                /* Twisted's passthru returns its input: when that is a
                 * Deferred (a waiting Deferred unpaused by hand), it chains
                 * again like any returned Deferred. */
                if (cur->result.kind == DL_DEFERRED &&
                    returned_deferred(cur, (dl_deferred *)cur->result.u.o))
                    break;
                continue;
            }

            /* Hold our own reference to the input: a re-entrant steal (R3)
             * may take cur->result away while the callback runs. */
            dl_value input = dl_retain(cur->result);
            if (dl_engine_wants(eng, DL_EV_CALL))
                emit_call(cur, DL_EV_CALL, index, slot, dl_fn_name(fn), input, 0);
            dl_value out = dl_none();
            cur->running = 1;
            int rc = dl_fn_call(fn, input, &out);
            cur->running = 0;
            bool raised = rc != 0;
            if (raised && !dl_is_failure(out)) {
                dl_release(out);
                out = dl_fail_value(&dl_type_RuntimeError, "callback failed: %s", dl_strerror(rc));
            }
            if (dl_engine_wants(eng, DL_EV_RETURN))
                emit_call(cur, DL_EV_RETURN, index, slot, dl_fn_name(fn), out, raised);
            dl_fn_release(fn);
            set_result(cur, out);
            dl_release(input);

            if (!raised && out.kind == DL_DEFERRED) {
                if (returned_deferred(cur, (dl_deferred *)out.u.o)) break;
            }
        }
        if (finished) {
            set_unhandled(cur, dl_is_failure(cur->result) ? cur->result : dl_none());
            chain.len--;
            dl_deferred_release(cur);
        }
    }
    while (chain.len)
        dl_deferred_release(chain.items[--chain.len]);
    if (chain.items != chain.small) free(chain.items);
}

/* ===================================================================== */
/* Public operations                                                     */
/* ===================================================================== */

int dl_deferred_add_callbacks(dl_deferred *d, dl_fn cb, dl_fn eb)
{
    dl_pair p = {cb, eb};
    if (push_pair(d, p) != 0) {
        pair_release(&p);
        return dl__raisef(d->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
    }
    if (dl_engine_wants(d->eng, DL_EV_ADDED)) {
        dl_event ev = {.index = d->cb_added, .name = dl_fn_name(cb), .name2 = dl_fn_name(eb)};
        emit(d, DL_EV_ADDED, &ev);
    }
    if (d->called) run_callbacks(d);
    return 0;
}

int dl_deferred_add_callback(dl_deferred *d, dl_fn cb)
{
    return dl_deferred_add_callbacks(d, cb, dl_passthru());
}

int dl_deferred_add_errback(dl_deferred *d, dl_fn eb)
{
    return dl_deferred_add_callbacks(d, dl_passthru(), eb);
}

int dl_deferred_add_both(dl_deferred *d, dl_fn f, dl_fn f2)
{
    return dl_deferred_add_callbacks(d, f, f2);
}

/* Twisted's _startRunCallbacks. Takes ownership of r. */
static int start(dl_deferred *d, dl_value r)
{
    if (d->called) {
        dl_release(r);
        if (d->suppress) {
            d->suppress = 0;
            emit_simple(d, DL_EV_SUPPRESSED, 0, dl_none());
            return 0;
        }
        emit_simple(d, DL_EV_ALREADY_CALLED, 0, dl_none());
        return dl__raisef(d->eng, DL_EALREADYCALLED, &dl_type_AlreadyCalledError, "%s", "");
    }
    if (d->eng->fire_depth >= DL_FIRE_DEPTH_MAX) {
        /* Refuse before firing: d stays unfired, and the callback that
         * tried gets the error as its Failure. */
        dl_release(r);
        emit_text(d, DL_EV_REFUSED, "callbacks fired Deferreds too deeply", dl_none());
        return dl__raisef(d->eng, DL_ERUNTIME, &dl_type_RuntimeError,
                          "maximum recursion depth exceeded: Deferreds fired from inside "
                          "callbacks %d levels deep (DL_FIRE_DEPTH_MAX)",
                          DL_FIRE_DEPTH_MAX);
    }
    d->called = 1;
    d->result = r;
    emit_text(d, DL_EV_FIRED, dl_is_failure(r) ? "errback" : "callback", r);
    d->eng->fire_depth++;
    run_callbacks(d);
    d->eng->fire_depth--;
    return 0;
}

static int refuse_direct_fire(dl_deferred *d);

/* Fire d so that it waits on inner at once, as when a callback returns
 * inner; a ready inner's result is taken instead. This is what Twisted's
 * inlineCallbacks cancellation achieves by splicing an errback that returns
 * a fresh Deferred. Borrows inner. */
int dl__deferred_wait_on(dl_deferred *d, dl_deferred *inner)
{
    if (d->called) {
        emit_simple(d, DL_EV_ALREADY_CALLED, 0, dl_none());
        return dl__raisef(d->eng, DL_EALREADYCALLED, &dl_type_AlreadyCalledError, "%s", "");
    }
    d->called = 1;
    d->result = dl_deferred_value(inner);
    emit_text(d, DL_EV_FIRED, "wait", d->result);
    dl_deferred_retain(d);
    if (!returned_deferred(d, inner)) run_callbacks(d);
    dl_deferred_release(d);
    return 0;
}

int dl_deferred_callback(dl_deferred *d, dl_value v)
{
    if (v.kind == DL_DEFERRED) {
        emit_text(d, DL_EV_REFUSED, "callback() was given a Deferred", v);
        return dl__raisef(d->eng, DL_EASSERTION, &dl_type_AssertionError,
                          "callback() cannot be given a Deferred; return it from a callback to "
                          "chain, or use chainDeferred");
    }
    int rc = refuse_direct_fire(d);
    if (rc) return rc;
    return start(d, dl_retain(v));
}

int dl_deferred_errback(dl_deferred *d, dl_value v)
{
    dl_value f = dl_as_failure(v);
    if (!dl_is_failure(f))
        return dl__raisef(d->eng, DL_ETYPE, &dl_type_TypeError,
                          "errback() needs a Failure or an exception");
    int rc = refuse_direct_fire(d);
    if (rc) {
        dl_release(f);
        return rc;
    }
    return start(d, f);
}

void dl_deferred_pause(dl_deferred *d)
{
    d->paused++;
    emit_count(d, DL_EV_PAUSED, d->paused);
}

void dl_deferred_unpause(dl_deferred *d)
{
    d->paused--;
    emit_count(d, DL_EV_UNPAUSED, d->paused);
    if (d->paused != 0) return;
    if (d->called) run_callbacks(d);
}

static int cancel_chained_targets(dl_deferred *d);

/* Deferred.cancel() itself, for a Deferred that has not fired. */
static int cancel_unfired(dl_deferred *d)
{
    dl_fn canceller = d->extra ? d->extra->canceller : dl_passthru();
    if (canceller.cls) {
        if (dl_engine_wants(d->eng, DL_EV_CANCELLER)) {
            dl_event ev = {.name = dl_fn_name(canceller)};
            emit(d, DL_EV_CANCELLER, &ev);
        }
        dl_value out = dl_none();
        dl_deferred_retain(d);
        int rc = dl_fn_call(canceller, dl_obj_value(DL_DEFERRED, d), &out);
        if (rc != 0) {
            if (!dl_is_failure(out)) {
                dl_release(out);
                out = dl_fail_value(&dl_type_RuntimeError, "canceller failed");
            }
            emit_simple(d, DL_EV_CANCELLER_RAISED, 0, out);
            dl_deferred_release(d);
            return dl__raise(d->eng, DL_ERAISED, out);
        }
        dl_release(out);
        dl_deferred_release(d);
    } else {
        d->suppress = 1;
    }
    /* Proposed semantics: Deferreds chained from d are cancelled too, before
     * d's own CancelledError reaches them, so their cancellers run. */
    int rc = cancel_chained_targets(d);
    if (rc) return rc;
    if (!d->called) return start(d, dl_fail_value(&dl_type_CancelledError, "%s", ""));
    return 0;
}

int dl_deferred_cancel(dl_deferred *d)
{
    /* Iterate down "waiting on" links rather than recursing (X11), so a
     * cancel at the top of a million-deep wait does not grow the C stack.
     * The links can form a cycle (a callback that returned its own Deferred,
     * or two Deferreds waiting on each other): Twisted recurses until
     * RecursionError; we notice the cycle (a second walker at half speed
     * meets the first) and raise instead of spinning. */
    dl_deferred *slow = d;
    unsigned long steps = 0;
    /* cancel() can also nest: a DeferredList cancels its inputs, a source
     * its chained targets (proposed semantics), and those links may lead
     * back. Bound the nesting as callback() is bounded. */
    dl_engine *eng = d->eng;
    if (eng->cancel_depth >= DL_FIRE_DEPTH_MAX)
        return dl__raisef(eng, DL_ERUNTIME, &dl_type_RuntimeError,
                          "maximum recursion depth exceeded: cancel() nested %d levels deep",
                          DL_FIRE_DEPTH_MAX);
    eng->cancel_depth++;
    dl_deferred_retain(d);
    int rc = 0;
    for (;;) {
        const dl_deferred_class *cls = d->extra ? d->extra->cls : NULL;
        emit_simple(d, DL_EV_CANCEL, 0, dl_none());
        if (cls && cls->cancel) {
            rc = cls->cancel(d);
            break;
        }
        if (!d->called) {
            rc = cancel_unfired(d);
            break;
        }
        if (d->result.kind != DL_DEFERRED) break; /* fired: a no-op */
        dl_deferred *inner = dl_deferred_retain((dl_deferred *)d->result.u.o);
        dl_deferred_release(d);
        d = inner;
        if (++steps % 2 == 0) slow = (dl_deferred *)slow->result.u.o;
        if (d == slow) {
            rc = dl__raisef(d->eng, DL_ERUNTIME, &dl_type_RuntimeError,
                            "maximum recursion depth exceeded: cancel() went round a cycle of "
                            "Deferreds waiting on each other");
            break;
        }
    }
    dl_deferred_release(d);
    eng->cancel_depth--; /* d may be gone now */
    return rc;
}

/* ===================================================================== */
/* chainDeferred, under both semantics                                   */
/* ===================================================================== */

/* d1.chainDeferred(d2) adds a pair whose slots fire d2. Twisted: they return
 * None (so d1's later callbacks see None) and an AlreadyCalledError from d2
 * becomes a Failure in d1's chain. Proposed (the seed blog's tdefer.py): the
 * result passes through unchanged, an already-fired d2 is left alone, d2
 * cannot be fired directly, and cancelling d1 cancels d2. */

static const char *chain_name(void *ud, dl_slot slot)
{
    static char names[2][140];
    char who[128];
    dl_deferred_name(ud, who, sizeof who);
    snprintf(names[slot], sizeof names[slot], "%s.%s", who,
             slot == DL_SLOT_CALLBACK ? "callback" : "errback");
    return names[slot];
}

static const char *chain_cb_name(void *ud)
{
    return chain_name(ud, DL_SLOT_CALLBACK);
}

static const char *chain_eb_name(void *ud)
{
    return chain_name(ud, DL_SLOT_ERRBACK);
}

static int chain_fire(void *ud, dl_value arg, dl_value *out)
{
    dl_deferred *target = ud;
    dl_engine *eng = target->eng;
    if (eng->semantics == DL_SEMANTICS_PROPOSED) {
        if (!target->called) start(target, dl_retain(arg));
        *out = dl_retain(arg);
        return 0;
    }
    int rc =
        dl_is_failure(arg) ? dl_deferred_errback(target, arg) : dl_deferred_callback(target, arg);
    if (rc != 0) {
        *out = dl_engine_take_raised(eng);
        return DL_ERAISED;
    }
    *out = dl_none();
    return 0;
}

static void chain_release(void *ud)
{
    dl_deferred_release(ud);
}

static const dl_fn_class chain_cb_class = {chain_fire, chain_release, chain_cb_name, "callback"};
static const dl_fn_class chain_eb_class = {chain_fire, chain_release, chain_eb_name, "errback"};

int dl_deferred_chain(dl_deferred *d, dl_deferred *other)
{
    dl_deferred_extra *dx = extra_of(d), *ox = extra_of(other);
    dl_deferred **targets =
        dx ? realloc(dx->targets, sizeof *targets * (dx->chained_targets + 1)) : NULL;
    if (!targets || !ox)
        return dl__raisef(d->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
    dx->targets = targets;
    dx->targets[dx->chained_targets++] = dl_deferred_retain(other);
    if (!ox->chain_source) ox->chain_source = d;
    other->chained_to = d;
    emit_simple(d, DL_EV_CHAINED, other->hdr.id, dl_none());
    return dl_deferred_add_callbacks(d, dl_fn_make(&chain_cb_class, dl_deferred_retain(other)),
                                     dl_fn_make(&chain_eb_class, dl_deferred_retain(other)));
}

static int refuse_direct_fire(dl_deferred *d)
{
    if (d->eng->semantics != DL_SEMANTICS_PROPOSED || !d->extra || !d->extra->chain_source)
        return 0;
    char who[128], src[128];
    dl_deferred_name(d, who, sizeof who);
    dl_deferred_name(d->extra->chain_source, src, sizeof src);
    emit_text(d, DL_EV_REFUSED, "fired directly, but it is chained from another Deferred",
              dl_none());
    return dl__raisef(d->eng, DL_EREFUSED, &dl_type_AssertionError,
                      "Can't callback an already chained deferred: %s is chained from %s "
                      "(proposed chainDeferred semantics)",
                      who, src);
}

static int cancel_chained_targets(dl_deferred *d)
{
    if (d->eng->semantics != DL_SEMANTICS_PROPOSED || !d->extra) return 0;
    for (uint32_t i = 0; i < d->extra->chained_targets; i++) {
        int rc = dl_deferred_cancel(d->extra->targets[i]);
        if (rc) return rc;
    }
    return 0;
}

const char *dl_deferred_label(const dl_deferred *d)
{
    return d->extra ? d->extra->label : NULL;
}

int dl_deferred_name(const dl_deferred *d, char *buf, size_t n)
{
    const char *l = dl_deferred_label(d);
    if (l) return snprintf(buf, n, "%s", l);
    return snprintf(buf, n, "d#%u", (unsigned)d->hdr.id);
}

int dl_deferred_set_label(dl_deferred *d, const char *label)
{
    dl_deferred_extra *x = extra_of(d);
    char *copy = label ? strdup(label) : NULL;
    if (!x || (label && !copy)) {
        free(copy);
        return dl__raisef(d->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
    }
    free(x->label);
    x->label = copy;
    emit_text(d, DL_EV_LABEL, label ? label : "", dl_none());
    return 0;
}

const char *dl_deferred_class_name(const dl_deferred *d)
{
    return d->extra && d->extra->cls ? d->extra->cls->name : "Deferred";
}

void *dl_deferred_impl(const dl_deferred *d)
{
    return d->extra ? d->extra->impl : NULL;
}

dl_value dl_deferred_unhandled(const dl_deferred *d)
{
    return d->extra ? d->extra->unhandled : dl_none();
}

int dl_deferred_repr(const dl_deferred *d, char *buf, size_t n)
{
    char name[128], other[128], res[256];
    dl_deferred_name(d, name, sizeof name);
    const char *cls = dl_deferred_class_name(d);
    /* A Deferred result means waiting on it: name it, never describe it
     * (a Deferred can end up holding itself, and that would never end). */
    const dl_deferred *on = d->chained_to ? d->chained_to
                            : d->called && d->result.kind == DL_DEFERRED
                                ? (const dl_deferred *)d->result.u.o
                                : NULL;
    if (on) {
        dl_deferred_name(on, other, sizeof other);
        return snprintf(buf, n, "<%s %s waiting on %s>", cls, name, other);
    }
    if (d->called) {
        dl_repr(d->result, res, sizeof res);
        return snprintf(buf, n, "<%s %s current result: %s>", cls, name, res);
    }
    return snprintf(buf, n, "<%s %s>", cls, name);
}

/* ===================================================================== */
/* succeed / fail / maybeDeferred                                        */
/* ===================================================================== */

dl_deferred *dl_succeed(dl_engine *eng, dl_value v)
{
    dl_deferred *d = dl_deferred_new(eng, dl_passthru());
    if (d && dl_deferred_callback(d, v) != 0) {
        dl_deferred_release(d);
        return NULL;
    }
    return d;
}

dl_deferred *dl_fail(dl_engine *eng, dl_value failure_or_exception)
{
    dl_deferred *d = dl_deferred_new(eng, dl_passthru());
    if (d && dl_deferred_errback(d, failure_or_exception) != 0) {
        dl_deferred_release(d);
        return NULL;
    }
    return d;
}

dl_deferred *dl_maybe_deferred(dl_engine *eng, dl_fn fn, dl_value arg)
{
    dl_value out = dl_none();
    int rc = dl_fn_call(fn, arg, &out);
    dl_fn_release(fn);
    dl_deferred *d;
    if (rc != 0 || dl_is_failure(out)) {
        if (!dl_is_failure(out)) {
            dl_release(out);
            out = dl_fail_value(&dl_type_RuntimeError, "function failed");
        }
        d = dl_fail(eng, out);
    } else if (out.kind == DL_DEFERRED) {
        return (dl_deferred *)out.u.o; /* the very same Deferred */
    } else {
        d = dl_succeed(eng, out);
    }
    dl_release(out);
    return d;
}
