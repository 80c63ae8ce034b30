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

static const dl_fn_class cfunc_class = {cfunc_call, free, cfunc_name, "function"};

dl_fn dl_fn_c(dl_cfunc fn, void *ud, const char *name)
{
    if (!name) name = "function";
    size_t len = strlen(name);
    cfunc_closure *c = malloc(sizeof *c + len + 1);
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
    if (!dl_engine_observed(d->eng)) return;
    dl_event ev = {.other = other, .value = v};
    emit(d, kind, &ev);
}

static void emit_count(dl_deferred *d, dl_event_kind kind, int64_t count)
{
    if (!dl_engine_observed(d->eng)) return;
    dl_event ev = {.count = count};
    emit(d, kind, &ev);
}

static void emit_text(dl_deferred *d, dl_event_kind kind, const char *text, dl_value v)
{
    if (!dl_engine_observed(d->eng)) return;
    dl_event ev = {.text = text, .value = v};
    emit(d, kind, &ev);
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

/* Release everything d holds (pairs, result, canceller, subclass state) but
 * not the unhandled failure, which is reported when d dies. */
static void clear_contents(dl_deferred *d)
{
    uint32_t mask = (1u << d->cb_cap_log2) - 1;
    while (d->cb_len) {
        dl_pair p = d->cbs[d->cb_head];
        d->cb_head = (d->cb_head + 1) & mask;
        d->cb_len--;
        pair_release(&p);
    }
    if (d->cbs != &d->first_pair) free(d->cbs);
    d->cbs = &d->first_pair;
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
            dl_deferred_release(t);
        }
        free(x->targets);
        x->targets = NULL;
        x->chained_targets = 0;
    }
}

static void deferred_destroy(dl_obj *o)
{
    dl_deferred *d = (dl_deferred *)o;
    dl_engine *eng = d->eng;
    if (d->extra && dl_is_failure(d->extra->unhandled)) {
        /* Twisted's DebugInfo.__del__: report once, while d is still whole. */
        d->hdr.refs = 1;
        eng->unhandled_reported++;
        emit_simple(d, DL_EV_UNHANDLED, 0, d->extra->unhandled);
        d->hdr.refs = 0;
    }
    clear_contents(d);
    if (d->extra) {
        dl_release(d->extra->unhandled);
        free(d->extra->label);
        free(d->extra);
    }
    if (d->prev) d->prev->next = d->next;
    else eng->all = d->next;
    if (d->next) d->next->prev = d->prev;
    eng->live--;
    free(d);
}

static int deferred_obj_repr(const dl_obj *o, char *buf, size_t n)
{
    return dl_deferred_repr((const dl_deferred *)o, buf, n);
}

static const dl_class deferred_class = {"Deferred", deferred_destroy, deferred_obj_repr};

dl_deferred *dl_deferred_new_sub(dl_engine *eng, dl_fn canceller, const dl_deferred_class *cls,
                                 void *impl)
{
    dl_deferred *d = calloc(1, sizeof *d);
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
    d->cbs = &d->first_pair;
    d->next = eng->all;
    if (eng->all) eng->all->prev = d;
    eng->all = d;
    eng->live++;
    emit_text(d, DL_EV_CREATED, cls ? cls->name : "Deferred", dl_none());
    return d;
oom:
    free(d);
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

/* Called by dl_engine_free: tear down every Deferred still alive, cycles
 * included, reporting unhandled failures in creation order. */
void dl__deferred_teardown_all(dl_engine *eng);
void dl__deferred_teardown_all(dl_engine *eng)
{
    dl_deferred *tail = NULL;
    for (dl_deferred *d = eng->all; d; d = d->next) {
        dl_obj_retain(d); /* nothing may die while we cut the links */
        tail = d;
    }
    for (dl_deferred *d = eng->all; d; d = d->next) clear_contents(d);
    /* Contents are gone, so each release below frees exactly one Deferred. */
    while (tail) {
        dl_deferred *prev = tail->prev;
        if (tail->hdr.refs != DL_IMMORTAL) {
            tail->hdr.refs = 1;
            dl_deferred_release(tail);
        }
        tail = prev;
    }
}

/* ===================================================================== */
/* The callback FIFO (a ring buffer; the first pair is stored inline)    */
/* ===================================================================== */

static int push_pair(dl_deferred *d, dl_pair p)
{
    uint32_t cap = 1u << d->cb_cap_log2;
    if (d->cb_len == cap) {
        if (d->cb_cap_log2 >= 30) return DL_ENOMEM;
        dl_pair *n = malloc(sizeof *n * cap * 2);
        if (!n) return DL_ENOMEM;
        for (uint32_t i = 0; i < d->cb_len; i++) n[i] = d->cbs[(d->cb_head + i) & (cap - 1)];
        if (d->cbs != &d->first_pair) free(d->cbs);
        d->cbs = n;
        d->cb_head = 0;
        d->cb_cap_log2++;
        cap *= 2;
    }
    d->cbs[(d->cb_head + d->cb_len) & (cap - 1)] = p;
    d->cb_len++;
    d->cb_added++;
    return 0;
}

static dl_pair pop_pair(dl_deferred *d)
{
    dl_pair p = d->cbs[d->cb_head];
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
            dl_event ev = {.index = r->cb_added, .other = cur->hdr.id, .name = "continue"};
            emit(r, DL_EV_ADDED, &ev);
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
                if (dl_engine_observed(eng))
                    emit_call(cur, DL_EV_PASS, index, slot, NULL, cur->result, 0);
                continue;
            }

            /* Hold our own reference to the input: a re-entrant steal (R3)
             * may take cur->result away while the callback runs. */
            dl_value input = dl_retain(cur->result);
            if (dl_engine_observed(eng))
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
            if (dl_engine_observed(eng))
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
    while (chain.len) dl_deferred_release(chain.items[--chain.len]);
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
    if (dl_engine_observed(d->eng)) {
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
    d->called = 1;
    d->result = r;
    emit_text(d, DL_EV_FIRED, dl_is_failure(r) ? "errback" : "callback", r);
    run_callbacks(d);
    return 0;
}

static int refuse_direct_fire(dl_deferred *d);

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
        if (dl_engine_observed(d->eng)) {
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
     * cancel at the top of a million-deep wait does not grow the C stack. */
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
    }
    dl_deferred_release(d);
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
    int rc = dl_is_failure(arg) ? dl_deferred_errback(target, arg)
                                : dl_deferred_callback(target, arg);
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
    dl_deferred **targets = dx ? realloc(dx->targets, sizeof *targets * (dx->chained_targets + 1))
                               : NULL;
    if (!targets || !ox) return dl__raisef(d->eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
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
    if (d->chained_to) {
        dl_deferred_name(d->chained_to, other, sizeof other);
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
