/* dlist.c - DeferredList, gatherResults, race.
 *
 * Statement by statement the Twisted code (22.4 for DeferredList and
 * gatherResults, 23.8+ for race), using only public Deferred operations. Each
 * input gets one pair of closures; a closure holds a reference to the
 * combined Deferred (and to shared state), just as Twisted's bound methods
 * and closures keep theirs alive.
 */
#include "dlist.h"

#include <stdio.h>
#include <stdlib.h>

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

/* Copy of the caller's array, one reference per input ("list(ds)"). */
static dl_deferred **copy_inputs(dl_engine *eng, dl_deferred *const *ds, size_t n)
{
    dl_deferred **copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy) {
        oom(eng);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        copy[i] = dl_deferred_retain(ds[i]);
    return copy;
}

static void release_inputs(dl_deferred **ds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
    free(ds);
}

/* ===================================================================== */
/* FirstError                                                            */
/* ===================================================================== */

dl_exception *dl_first_error_new(dl_engine *eng, dl_value sub_failure, int64_t index)
{
    char sub[400], msg[480];
    dl_repr(sub_failure, sub, sizeof sub);
    /* args keep Twisted's 0-based index; the message numbers as the host does. */
    snprintf(msg, sizeof msg, "FirstError[#%lld, %s]", (long long)(index + eng->index_base), sub);
    dl_value args = dl_pair_new(dl_retain(sub_failure), dl_int(index));
    if (args.kind != DL_LIST) return NULL;
    return dl_exception_new(&dl_type_FirstError, msg, args);
}

/* ===================================================================== */
/* DeferredList                                                          */
/* ===================================================================== */

typedef struct dlist_impl {
    dl_deferred **inputs; /* _deferredList: one reference each */
    size_t n;
    dl_value results; /* resultList: DL_LIST of n slots */
    size_t finished;  /* finishedCount */
    unsigned flags;
} dlist_impl;

static void dlist_impl_destroy(void *p)
{
    dlist_impl *x = p;
    release_inputs(x->inputs, x->n);
    dl_release(x->results);
    free(x);
}

static int dlist_cancel(dl_deferred *dl);

const dl_deferred_class dl_deferred_list_class = {"DeferredList", dlist_cancel, dlist_impl_destroy};

bool dl_is_deferred_list(const dl_deferred *d)
{
    return d->extra && d->extra->cls == &dl_deferred_list_class;
}

static dlist_impl *impl_of(const dl_deferred *dl)
{
    return dl_is_deferred_list(dl) ? dl_deferred_impl(dl) : NULL;
}

/* _cbDeferred(result, index, succeeded): the callback and the errback of an
 * input share one closure (one allocation per input, not two); each slot
 * still holds its own reference to the DeferredList, as each bound method
 * does in Twisted. The slot's class says which track it is. */
typedef struct dlist_cb {
    dl_deferred *dl; /* one reference per slot still holding the closure */
    size_t index;
    unsigned refs; /* slots still holding it: 2, 1, 0 */
} dlist_cb;

static int dlist_cb_call(dlist_cb *c, bool ok, dl_value result, dl_value *out)
{
    dl_deferred *dl = c->dl;
    dlist_impl *x = impl_of(dl);
    dl_list_set(x->results, c->index, dl_pair_new(dl_bool(ok), dl_retain(result)));
    x->finished++;
    int rc = 0;
    if (!dl->called) {
        if (ok && (x->flags & DL_DLIST_FIRE_ON_ONE_CALLBACK)) {
            /* The index as the host counts (Twisted's 0, Lua's 1). */
            dl_value pair =
                dl_pair_new(dl_retain(result), dl_int((int64_t)c->index + dl->eng->index_base));
            rc = dl_deferred_callback(dl, pair);
            dl_release(pair);
        } else if (!ok && (x->flags & DL_DLIST_FIRE_ON_ONE_ERRBACK)) {
            dl_exception *e = dl_first_error_new(dl->eng, result, (int64_t)c->index);
            dl_failure *f = e ? dl_failure_new(e, NULL) : NULL;
            dl_obj_release(e);
            if (!f)
                rc = oom(dl->eng);
            else
                rc = dl_deferred_errback(dl, dl_obj_value(DL_FAILURE, f));
            dl_obj_release(f);
        } else if (x->finished == x->n) {
            rc = dl_deferred_callback(dl, x->results);
        }
    }
    if (rc) {
        /* Firing the list raised (it cannot in Twisted's flow, but an
         * exception here would become a Failure in the input's chain). */
        *out = dl_engine_take_raised(dl->eng);
        return DL_ERAISED;
    }
    if (!ok && (x->flags & DL_DLIST_CONSUME_ERRORS)) {
        *out = dl_none();
        return 0;
    }
    *out = dl_retain(result);
    return 0;
}

static int dlist_ok_call(void *ud, dl_value result, dl_value *out)
{
    return dlist_cb_call(ud, true, result, out);
}

static int dlist_fail_call(void *ud, dl_value result, dl_value *out)
{
    return dlist_cb_call(ud, false, result, out);
}

static void dlist_cb_release(void *ud)
{
    dlist_cb *c = ud;
    dl_deferred *dl = c->dl;
    if (--c->refs == 0) free(c);
    dl_deferred_release(dl);
}

static const dl_fn_class dlist_ok_class = {dlist_ok_call, dlist_cb_release, NULL, "_cbDeferred"};
static const dl_fn_class dlist_fail_class = {dlist_fail_call, dlist_cb_release, NULL,
                                             "_cbDeferred"};

/* The two slots for input index: *cb and *eb share one closure. Returns
 * false on OOM (nothing allocated). */
static bool dlist_cb_new(dl_deferred *dl, size_t index, dl_fn *cb, dl_fn *eb)
{
    dlist_cb *c = malloc(sizeof *c);
    if (!c) return false;
    c->dl = dl;
    dl_deferred_retain(dl);
    dl_deferred_retain(dl);
    c->index = index;
    c->refs = 2;
    *cb = dl_fn_make(&dlist_ok_class, c);
    *eb = dl_fn_make(&dlist_fail_class, c);
    return true;
}

dl_deferred *dl_deferred_list_new(dl_engine *eng, dl_deferred *const *ds, size_t n, unsigned flags)
{
    dlist_impl *x = calloc(1, sizeof *x);
    if (!x) {
        oom(eng);
        return NULL;
    }
    x->inputs = copy_inputs(eng, ds, n);
    x->results = dl_list_new(n);
    if (!x->inputs || x->results.kind != DL_LIST) {
        if (x->inputs) release_inputs(x->inputs, n);
        dl_release(x->results);
        free(x);
        oom(eng);
        return NULL;
    }
    x->n = n;
    for (size_t i = 0; i < n; i++)
        dl_list_push(x->results, dl_none());
    dl_deferred *dl = dl_deferred_new_sub(eng, dl_passthru(), &dl_deferred_list_class, x);
    if (!dl) {
        oom(eng);
        return NULL;
    }
    if (n == 0 && !(flags & DL_DLIST_FIRE_ON_ONE_CALLBACK)) {
        dl_value empty = dl_list_new(0);
        dl_deferred_callback(dl, empty);
        dl_release(empty);
    }
    /* Flags are set before attaching: already-fired inputs report now. */
    x->flags = flags;
    for (size_t i = 0; i < n; i++) {
        dl_fn cb, eb;
        if (!dlist_cb_new(dl, i, &cb, &eb)) {
            dl_deferred_release(dl);
            oom(eng);
            return NULL;
        }
        if (dl_deferred_add_callbacks(x->inputs[i], cb, eb) != 0) {
            dl_deferred_release(dl);
            return NULL;
        }
    }
    return dl;
}

/* DeferredList.cancel(): cancel every input unless the list has fired. A
 * canceller that raises is logged and the rest are still cancelled. */
static int dlist_cancel(dl_deferred *dl)
{
    dl_engine *eng = dl->eng;
    if (dl->called) return 0;
    dlist_impl *x = impl_of(dl);
    for (size_t i = 0; i < x->n; i++) {
        if (dl_deferred_cancel(x->inputs[i]) == 0) continue;
        dl_value f = dl_engine_take_raised(eng);
        if (dl_engine_wants(eng, DL_EV_WARNING)) {
            dl_event ev = {.kind = DL_EV_WARNING,
                           .d = dl->hdr.id,
                           .text = "Exception raised from user supplied canceller",
                           .value = f};
            dl_engine_emit(eng, &ev);
        }
        dl_release(f);
    }
    return 0;
}

dl_value dl_deferred_list_results(const dl_deferred *dl)
{
    dlist_impl *x = impl_of(dl);
    return x ? x->results : dl_none();
}

size_t dl_deferred_list_finished(const dl_deferred *dl)
{
    dlist_impl *x = impl_of(dl);
    return x ? x->finished : 0;
}

size_t dl_deferred_list_count(const dl_deferred *dl)
{
    dlist_impl *x = impl_of(dl);
    return x ? x->n : 0;
}

dl_deferred *dl_deferred_list_input(const dl_deferred *dl, size_t i)
{
    dlist_impl *x = impl_of(dl);
    return x && i < x->n ? x->inputs[i] : NULL;
}

/* ===================================================================== */
/* gatherResults                                                         */
/* ===================================================================== */

/* _parseDeferredListResult: [x[1] for x in resultList], asserting that
 * every entry succeeded. */
static dl_value parse_results(dl_value list, void *ud)
{
    (void)ud;
    size_t n = dl_list_len(list);
    dl_value out = dl_list_new(n);
    if (out.kind != DL_LIST) return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    for (size_t i = 0; i < n; i++) {
        dl_value pair = dl_list_get(list, i);
        dl_value ok = dl_list_get(pair, 0);
        if (ok.kind != DL_BOOL || !ok.u.b) {
            dl_release(out);
            return dl_fail_value(&dl_type_AssertionError, "%s", "");
        }
        dl_list_push(out, dl_retain(dl_list_get(pair, 1)));
    }
    return out;
}

dl_deferred *dl_gather_results(dl_engine *eng, dl_deferred *const *ds, size_t n,
                               bool consume_errors)
{
    unsigned flags = DL_DLIST_FIRE_ON_ONE_ERRBACK | (consume_errors ? DL_DLIST_CONSUME_ERRORS : 0);
    dl_deferred *d = dl_deferred_list_new(eng, ds, n, flags);
    if (!d) return NULL;
    dl_fn parse = dl_fn_c(parse_results, NULL, "_parseDeferredListResult");
    if (!parse.cls || dl_deferred_add_callback(d, parse) != 0) {
        dl_deferred_release(d);
        oom(eng);
        return NULL;
    }
    return d;
}

/* ===================================================================== */
/* race                                                                  */
/* ===================================================================== */

typedef struct race_state {
    size_t refs;
    dl_engine *eng;
    dl_deferred **to_cancel; /* one reference each */
    size_t n;
    dl_deferred *winner; /* not a reference; NULL until a success */
    dl_value *failures;  /* failure_state, indexed by input: n slots */
    size_t nfailed;
} race_state;

static void race_state_release(race_state *s)
{
    if (--s->refs) return;
    release_inputs(s->to_cancel, s->n);
    for (size_t i = 0; i < s->n; i++)
        dl_release(s->failures[i]);
    free(s->failures);
    free(s);
}

/* The race Deferred's canceller: cancel every input. A raising input
 * canceller propagates, as it does out of Twisted's loop. */
static int race_cancel_call(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    race_state *s = ud;
    for (size_t i = 0; i < s->n; i++) {
        if (dl_deferred_cancel(s->to_cancel[i]) != 0) {
            *out = dl_engine_take_raised(s->eng);
            return DL_ERAISED;
        }
    }
    *out = dl_none();
    return 0;
}

static void race_state_release_fn(void *ud)
{
    race_state_release(ud);
}

static const dl_fn_class race_cancel_class = {race_cancel_call, race_state_release_fn, NULL,
                                              "cancel"};

typedef struct race_cb {
    race_state *s;      /* reference */
    dl_deferred *final; /* reference */
    size_t index;
} race_cb;

/* succeeded(output, index): the first success wins; the others are
 * cancelled, then the race fires with {index, output}. */
static int race_succeeded(void *ud, dl_value v, dl_value *out)
{
    race_cb *c = ud;
    race_state *s = c->s;
    *out = dl_none();
    if (s->winner) return 0;
    s->winner = s->to_cancel[c->index];
    for (size_t i = 0; i < s->n; i++) {
        if (s->to_cancel[i] == s->winner) continue;
        if (dl_deferred_cancel(s->to_cancel[i]) != 0) {
            *out = dl_engine_take_raised(s->eng);
            return DL_ERAISED;
        }
    }
    dl_value pair = dl_pair_new(dl_int((int64_t)c->index + s->eng->index_base), dl_retain(v));
    int rc = dl_deferred_callback(c->final, pair);
    dl_release(pair);
    if (rc) {
        *out = dl_engine_take_raised(s->eng);
        return DL_ERAISED;
    }
    return 0;
}

/* failed(failure, index): once every input failed, errback FailureGroup
 * with the failures sorted by index. */
static int race_failed(void *ud, dl_value f, dl_value *out)
{
    race_cb *c = ud;
    race_state *s = c->s;
    *out = dl_none();
    dl_value old = s->failures[c->index];
    s->failures[c->index] = dl_retain(f);
    if (dl_is_none(old)) s->nfailed++;
    dl_release(old);
    if (s->nfailed != s->n) return 0;
    dl_value list = dl_list_new(s->n);
    if (list.kind != DL_LIST) {
        *out = dl_fail_value(&dl_type_RuntimeError, "out of memory");
        return DL_ERAISED;
    }
    for (size_t i = 0; i < s->n; i++)
        dl_list_push(list, dl_retain(s->failures[i]));
    dl_value args = dl_list_new(1);
    if (args.kind == DL_LIST)
        dl_list_push(args, list);
    else
        dl_release(list);
    dl_exception *e = dl_exception_new(&dl_type_FailureGroup, NULL, args);
    dl_failure *fg = e ? dl_failure_new(e, NULL) : NULL;
    dl_obj_release(e);
    if (!fg) {
        *out = dl_fail_value(&dl_type_RuntimeError, "out of memory");
        return DL_ERAISED;
    }
    int rc = dl_deferred_errback(c->final, dl_obj_value(DL_FAILURE, fg));
    dl_obj_release(fg);
    if (rc) {
        *out = dl_engine_take_raised(s->eng);
        return DL_ERAISED;
    }
    return 0;
}

static void race_cb_release(void *ud)
{
    race_cb *c = ud;
    race_state_release(c->s);
    dl_deferred_release(c->final);
    free(c);
}

static const dl_fn_class race_succeeded_class = {race_succeeded, race_cb_release, NULL,
                                                 "succeeded"};
static const dl_fn_class race_failed_class = {race_failed, race_cb_release, NULL, "failed"};

static dl_fn race_cb_new(const dl_fn_class *cls, race_state *s, dl_deferred *final, size_t i)
{
    race_cb *c = malloc(sizeof *c);
    if (!c) return dl_passthru();
    s->refs++;
    c->s = s;
    c->final = dl_deferred_retain(final);
    c->index = i;
    return dl_fn_make(cls, c);
}

dl_deferred *dl_race(dl_engine *eng, dl_deferred *const *ds, size_t n)
{
    race_state *s = calloc(1, sizeof *s);
    if (s) {
        s->failures = calloc(n ? n : 1, sizeof *s->failures);
        s->to_cancel = copy_inputs(eng, ds, n);
    }
    if (!s || !s->failures || !s->to_cancel) {
        if (s && s->to_cancel) release_inputs(s->to_cancel, n);
        if (s) free(s->failures);
        free(s);
        oom(eng);
        return NULL;
    }
    s->refs = 1; /* the canceller's */
    s->eng = eng;
    s->n = n;
    for (size_t i = 0; i < n; i++)
        s->failures[i] = dl_none();
    dl_deferred *final = dl_deferred_new(eng, dl_fn_make(&race_cancel_class, s));
    if (!final) return NULL;
    for (size_t i = 0; i < n; i++) {
        dl_fn cb = race_cb_new(&race_succeeded_class, s, final, i);
        dl_fn eb = race_cb_new(&race_failed_class, s, final, i);
        if (!cb.cls || !eb.cls) {
            dl_fn_release(cb);
            dl_fn_release(eb);
            dl_deferred_release(final);
            oom(eng);
            return NULL;
        }
        if (dl_deferred_add_callbacks(s->to_cancel[i], cb, eb) != 0) {
            dl_deferred_release(final);
            return NULL;
        }
    }
    return final;
}
