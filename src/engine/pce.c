/* pce.c - DeferredParallelCommandExecutor: maybeDeferred + DeferredList +
 * cancel, public Deferred operations only. */
#include "pce.h"

#include <stdio.h>
#include <stdlib.h>

#include "dlist.h"

struct dl_pce {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    dl_fn *fns;
    size_t nfns, capfns;
    size_t running;
    int64_t winner;     /* -1: none */
    dl_value cancelled; /* DL_LIST of indices (last execution) */
};

static const dl_class pce_class;

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void emit_state(dl_pce *x)
{
    if (!dl_engine_wants(x->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(4), names = dl_list_new(x->nfns);
    if (snap.kind != DL_LIST || names.kind != DL_LIST) {
        dl_release(snap);
        dl_release(names);
        return;
    }
    for (size_t i = 0; i < x->nfns; i++)
        dl_list_push(names, dl_cstr(dl_fn_name(x->fns[i])));
    kv(snap, "functions", names);
    kv(snap, "running", dl_int((int64_t)x->running));
    kv(snap, "winner", x->winner < 0 ? dl_none() : dl_int(x->winner));
    kv(snap, "cancelled", dl_retain(x->cancelled));
    dl_event ev = {.kind = DL_EV_STATE,
                   .d = x->hdr.id,
                   .text = "DeferredParallelCommandExecutor",
                   .value = snap};
    dl_engine_emit(x->eng, &ev);
    dl_release(snap);
}

static void pce_destroy(dl_obj *o)
{
    dl_pce *x = (dl_pce *)o;
    for (size_t i = 0; i < x->nfns; i++)
        dl_fn_release(x->fns[i]);
    free(x->fns);
    dl_release(x->cancelled);
    free(x);
}

static int pce_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_pce *x = (const dl_pce *)o;
    return snprintf(buf, n, "<DeferredParallelCommandExecutor #%u functions=%zu>",
                    (unsigned)x->hdr.id, x->nfns);
}

static const dl_class pce_class = {"DeferredParallelCommandExecutor", pce_destroy, pce_repr};

dl_pce *dl_pce_new(dl_engine *eng)
{
    dl_pce *x = calloc(1, sizeof *x);
    if (!x) goto fail;
    x->cancelled = dl_list_new(0);
    if (x->cancelled.kind != DL_LIST) goto fail;
    dl_obj_init(&x->hdr, &pce_class);
    x->hdr.id = dl_engine_next_obj_id(eng);
    x->eng = eng;
    x->winner = -1;
    emit_state(x);
    return x;
fail:
    free(x);
    oom(eng);
    return NULL;
}

int dl_pce_register(dl_pce *x, dl_fn fn)
{
    if (x->nfns == x->capfns) {
        size_t cap = x->capfns ? x->capfns * 2 : 4;
        dl_fn *n = realloc(x->fns, cap * sizeof *n);
        if (!n) {
            dl_fn_release(fn);
            return oom(x->eng);
        }
        x->fns = n;
        x->capfns = cap;
    }
    x->fns[x->nfns++] = fn;
    emit_state(x);
    return 0;
}

/* A registered function, by index, for maybeDeferred (which takes over the
 * dl_fn it is given while the executor keeps the function). */
typedef struct fn_ref {
    dl_pce *x; /* reference */
    size_t index;
} fn_ref;

static int fn_ref_call(void *ud, dl_value arg, dl_value *out)
{
    fn_ref *r = ud;
    return dl_fn_call(r->x->fns[r->index], arg, out);
}

static void fn_ref_release(void *ud)
{
    fn_ref *r = ud;
    dl_obj_release(r->x);
    free(r);
}

static const char *fn_ref_name(void *ud)
{
    fn_ref *r = ud;
    return dl_fn_name(r->x->fns[r->index]);
}

static const dl_fn_class fn_ref_class = {fn_ref_call, fn_ref_release, fn_ref_name, "function"};

/* _done(deferredListResult, deferreds). */
typedef struct execution {
    dl_pce *x;        /* reference */
    dl_deferred **ds; /* one reference each */
    size_t n;
} execution;

static dl_value parallel_exception(dl_value results)
{
    size_t n = dl_list_len(results);
    dl_value failures = dl_list_new(n);
    if (failures.kind != DL_LIST) return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    for (size_t i = 0; i < n; i++)
        dl_list_push(failures, dl_retain(dl_list_get(dl_list_get(results, i), 1)));
    char msg[512];
    dl_repr(failures, msg, sizeof msg);
    dl_value args = dl_list_new(1);
    if (args.kind != DL_LIST || dl_list_push(args, failures) != 0) {
        dl_release(args);
        return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    }
    dl_exception *e = dl_exception_new(&dl_type_ParallelCommandException, msg, args);
    dl_failure *f = e ? dl_failure_new(e, NULL) : NULL;
    dl_obj_release(e);
    if (!f) return dl_fail_value(&dl_type_RuntimeError, "out of memory");
    return dl_obj_value(DL_FAILURE, f);
}

static int done_call(void *ud, dl_value result, dl_value *out)
{
    execution *ex = ud;
    dl_pce *x = ex->x;
    x->running--;
    dl_value index = dl_list_get(result, 1);
    if (index.kind != DL_INT) {
        /* Every function failed: the list of {false, failure} pairs. */
        x->winner = -1;
        emit_state(x);
        *out = parallel_exception(result);
        return DL_ERAISED;
    }
    dl_value value = dl_retain(dl_list_get(result, 0));
    dl_value cancelled = dl_list_new(ex->n);
    /* The DeferredList numbers for the host (eng->index_base): back to 0-based. */
    x->winner = index.u.i - x->eng->index_base;
    if (cancelled.kind == DL_LIST) {
        for (size_t i = 0; i < ex->n; i++)
            if ((int64_t)i != x->winner && !ex->ds[i]->called)
                dl_list_push(cancelled, dl_int((int64_t)i));
        dl_release(x->cancelled);
        x->cancelled = cancelled;
    }
    emit_state(x);
    int rc = 0;
    for (size_t i = 0; i < ex->n && rc == 0; i++)
        if ((int64_t)i != x->winner) rc = dl_deferred_cancel(ex->ds[i]);
    if (rc) {
        dl_release(value);
        *out = dl_engine_take_raised(x->eng);
        return DL_ERAISED;
    }
    *out = value;
    return 0;
}

static void execution_release(void *ud)
{
    execution *ex = ud;
    for (size_t i = 0; i < ex->n; i++)
        if (ex->ds[i]) dl_deferred_release(ex->ds[i]);
    free(ex->ds);
    dl_obj_release(ex->x);
    free(ex);
}

static const dl_fn_class done_class = {done_call, execution_release, NULL, "_done"};

int dl_pce_execute(dl_pce *x, dl_value arg, dl_deferred **out)
{
    *out = NULL;
    if (!x->nfns)
        return dl__raisef(x->eng, DL_EVALUE, &dl_type_ValueError,
                          "No execution functions have been registered.");
    execution *ex = calloc(1, sizeof *ex);
    if (!ex) return oom(x->eng);
    dl_obj_retain(x);
    ex->x = x;
    ex->ds = calloc(x->nfns, sizeof *ex->ds);
    if (!ex->ds) {
        execution_release(ex);
        return oom(x->eng);
    }
    ex->n = x->nfns;
    for (size_t i = 0; i < ex->n; i++) {
        fn_ref *r = malloc(sizeof *r);
        if (!r) {
            execution_release(ex);
            return oom(x->eng);
        }
        dl_obj_retain(x);
        r->x = x;
        r->index = i;
        ex->ds[i] = dl_maybe_deferred(x->eng, dl_fn_make(&fn_ref_class, r), arg);
        if (!ex->ds[i]) {
            execution_release(ex);
            return oom(x->eng);
        }
    }
    dl_deferred *d = dl_deferred_list_new(x->eng, ex->ds, ex->n,
                                          DL_DLIST_FIRE_ON_ONE_CALLBACK | DL_DLIST_CONSUME_ERRORS);
    if (!d) {
        execution_release(ex);
        return DL_ENOMEM;
    }
    x->running++;
    emit_state(x);
    int rc = dl_deferred_add_callback(d, dl_fn_make(&done_class, ex));
    if (rc) {
        dl_deferred_release(d);
        return oom(x->eng);
    }
    *out = d;
    return 0;
}

size_t dl_pce_functions(const dl_pce *x)
{
    return x->nfns;
}

size_t dl_pce_running(const dl_pce *x)
{
    return x->running;
}

dl_pce *dl_pce_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &pce_class ? (dl_pce *)v.u.o : NULL;
}

dl_value dl_pce_value(dl_pce *x)
{
    dl_obj_retain(x);
    return dl_obj_value(DL_OBJ, x);
}
