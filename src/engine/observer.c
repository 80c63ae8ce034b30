/* observer.c - DeferredListObserver, from public Deferred operations only. */
#include "observer.h"

#include <stdio.h>
#include <stdlib.h>

struct dl_dlo {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    size_t count, pending, successes, failures;
    dl_value history; /* DL_LIST, or DL_NONE when not maintained */
    dl_fn *observers;
    size_t nobservers, capobservers;
};

static const dl_class dlo_class;

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void emit_state(dl_dlo *o)
{
    if (!dl_engine_wants(o->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(5);
    if (snap.kind != DL_LIST) return;
    kv(snap, "pendingCount", dl_int((int64_t)o->pending));
    kv(snap, "successCount", dl_int((int64_t)o->successes));
    kv(snap, "failureCount", dl_int((int64_t)o->failures));
    kv(snap, "observers", dl_int((int64_t)o->nobservers));
    kv(snap, "history", dl_retain(o->history));
    dl_event ev = {
        .kind = DL_EV_STATE, .d = o->hdr.id, .text = "DeferredListObserver", .value = snap};
    dl_engine_emit(o->eng, &ev);
    dl_release(snap);
}

static void dlo_destroy(dl_obj *obj)
{
    dl_dlo *o = (dl_dlo *)obj;
    for (size_t i = 0; i < o->nobservers; i++)
        dl_fn_release(o->observers[i]);
    free(o->observers);
    dl_release(o->history);
    free(o);
}

static int dlo_repr(const dl_obj *obj, char *buf, size_t n)
{
    const dl_dlo *o = (const dl_dlo *)obj;
    return snprintf(buf, n, "<DeferredListObserver #%u pending=%zu ok=%zu failed=%zu>",
                    (unsigned)o->hdr.id, o->pending, o->successes, o->failures);
}

static const dl_class dlo_class = {"DeferredListObserver", dlo_destroy, dlo_repr};

dl_dlo *dl_dlo_new(dl_engine *eng, bool maintain_history)
{
    dl_dlo *o = calloc(1, sizeof *o);
    if (!o) goto fail;
    o->history = dl_none();
    if (maintain_history) {
        o->history = dl_list_new(4);
        if (o->history.kind != DL_LIST) goto fail;
    }
    dl_obj_init(&o->hdr, &dlo_class);
    o->hdr.id = dl_engine_next_obj_id(eng);
    o->eng = eng;
    emit_state(o);
    return o;
fail:
    free(o);
    oom(eng);
    return NULL;
}

/* The pair added to each Deferred: one closure per slot. */
typedef struct report_closure {
    dl_dlo *o; /* reference */
    int64_t index;
    bool success;
} report_closure;

static int report_call(void *ud, dl_value value, dl_value *out)
{
    report_closure *c = ud;
    dl_dlo *o = c->o;
    o->pending--;
    if (c->success)
        o->successes++;
    else
        o->failures++;
    dl_value event = dl_list_new(3);
    if (event.kind != DL_LIST) {
        *out = dl_fail_value(&dl_type_RuntimeError, "out of memory");
        return DL_ERAISED;
    }
    dl_list_push(event, dl_int(c->index));
    dl_list_push(event, dl_bool(c->success));
    dl_list_push(event, dl_retain(value));
    if (o->history.kind == DL_LIST) dl_list_push(o->history, dl_retain(event));
    emit_state(o);
    dl_obj_retain(o);
    int rc = 0;
    dl_value raised = dl_none();
    /* The list may grow while we walk it (an observer may observe). */
    for (size_t i = 0; i < o->nobservers; i++) {
        dl_value r = dl_none();
        rc = dl_fn_call(o->observers[i], event, &r);
        if (rc == 0 && dl_is_failure(r)) rc = DL_ERAISED;
        if (rc) {
            raised =
                r.kind == DL_FAILURE ? r : dl_fail_value(&dl_type_RuntimeError, "observer failed");
            if (r.kind != DL_FAILURE) dl_release(r);
            break;
        }
        dl_release(r);
    }
    dl_obj_release(o);
    dl_release(event);
    if (rc) {
        *out = raised;
        return DL_ERAISED;
    }
    *out = dl_retain(value);
    return 0;
}

static void report_release(void *ud)
{
    report_closure *c = ud;
    dl_obj_release(c->o);
    free(c);
}

static const char *report_name(void *ud)
{
    return ((report_closure *)ud)->success ? "callback" : "errback";
}

static const dl_fn_class report_class = {report_call, report_release, report_name, "observe"};

static dl_fn report_fn(dl_dlo *o, int64_t index, bool success)
{
    report_closure *c = malloc(sizeof *c);
    if (!c) return dl_passthru();
    dl_obj_retain(o);
    c->o = o;
    c->index = index;
    c->success = success;
    return dl_fn_make(&report_class, c);
}

int64_t dl_dlo_append(dl_dlo *o, dl_deferred *d)
{
    int64_t index = (int64_t)o->count;
    dl_fn cb = report_fn(o, index, true), eb = report_fn(o, index, false);
    if (!cb.cls || !eb.cls) {
        dl_fn_release(cb);
        dl_fn_release(eb);
        return oom(o->eng);
    }
    o->count++;
    o->pending++;
    emit_state(o);
    if (dl_deferred_add_callbacks(d, cb, eb) != 0) {
        o->count--;
        o->pending--;
        emit_state(o);
        return oom(o->eng);
    }
    return index;
}

int dl_dlo_observe(dl_dlo *o, dl_fn fn)
{
    if (o->nobservers == o->capobservers) {
        size_t cap = o->capobservers ? o->capobservers * 2 : 4;
        dl_fn *n = realloc(o->observers, cap * sizeof *n);
        if (!n) {
            dl_fn_release(fn);
            return oom(o->eng);
        }
        o->observers = n;
        o->capobservers = cap;
    }
    o->observers[o->nobservers++] = fn;
    emit_state(o);
    return 0;
}

size_t dl_dlo_pending_count(const dl_dlo *o)
{
    return o->pending;
}

size_t dl_dlo_success_count(const dl_dlo *o)
{
    return o->successes;
}

size_t dl_dlo_failure_count(const dl_dlo *o)
{
    return o->failures;
}

size_t dl_dlo_count(const dl_dlo *o)
{
    return o->count;
}

dl_value dl_dlo_history(const dl_dlo *o)
{
    return o->history;
}

dl_dlo *dl_dlo_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &dlo_class ? (dl_dlo *)v.u.o : NULL;
}

dl_value dl_dlo_value(dl_dlo *o)
{
    dl_obj_retain(o);
    return dl_obj_value(DL_OBJ, o);
}
