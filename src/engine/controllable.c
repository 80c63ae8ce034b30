/* controllable.c - ControllableDeferred, from public Deferred operations. */
#include "controllable.h"

#include <stdio.h>
#include <stdlib.h>

struct dl_controllable {
    dl_obj hdr; /* hdr.id: the structure id */
    dl_engine *eng;
    dl_deferred *mine;     /* reference: the Deferred we fire */
    dl_deferred *original; /* reference */
    bool fired;
    const char *by; /* static string, or NULL */
};

static const dl_class controllable_class;

static int oom(dl_engine *eng)
{
    return dl__raisef(eng, DL_ENOMEM, &dl_type_RuntimeError, "out of memory");
}

static void kv(dl_value snap, const char *key, dl_value v)
{
    dl_list_push(snap, dl_pair_new(dl_cstr(key), v));
}

static void emit_state(dl_controllable *c)
{
    if (!dl_engine_wants(c->eng, DL_EV_STATE)) return;
    dl_value snap = dl_list_new(4);
    if (snap.kind != DL_LIST) return;
    kv(snap, "deferred", dl_deferred_value(c->mine));
    kv(snap, "original", dl_deferred_value(c->original));
    kv(snap, "fired", dl_bool(c->fired));
    kv(snap, "by", c->by ? dl_cstr(c->by) : dl_none());
    dl_event ev = {
        .kind = DL_EV_STATE, .d = c->hdr.id, .text = "ControllableDeferred", .value = snap};
    dl_engine_emit(c->eng, &ev);
    dl_release(snap);
}

static void controllable_destroy(dl_obj *o)
{
    dl_controllable *c = (dl_controllable *)o;
    if (c->mine) dl_deferred_release(c->mine);
    if (c->original) dl_deferred_release(c->original);
    free(c);
}

static int controllable_repr(const dl_obj *o, char *buf, size_t n)
{
    const dl_controllable *c = (const dl_controllable *)o;
    char a[64], b[64];
    dl_deferred_name(c->mine, a, sizeof a);
    dl_deferred_name(c->original, b, sizeof b);
    return snprintf(buf, n, "<ControllableDeferred #%u %s of %s%s>", (unsigned)c->hdr.id, a, b,
                    c->fired ? " fired" : "");
}

static const dl_class controllable_class = {"ControllableDeferred", controllable_destroy,
                                            controllable_repr};

/* Mark c fired by `by`; false when it already was. */
static bool take_fire(dl_controllable *c, const char *by)
{
    if (c->fired) return false;
    c->fired = true;
    c->by = by;
    emit_state(c);
    return true;
}

/* _originalFired(result): hand d's first word on to our Deferred. */
static int original_fired_call(void *ud, dl_value result, dl_value *out)
{
    dl_controllable *c = ud;
    *out = dl_none();
    /* We fired first (through c, or straight on our Deferred): ignore d. */
    if (c->mine->called || !take_fire(c, "original")) return 0;
    int rc = dl_is_failure(result) ? dl_deferred_errback(c->mine, result)
                                   : dl_deferred_callback(c->mine, result);
    if (rc) {
        *out = dl_engine_take_raised(c->eng);
        return DL_ERAISED;
    }
    return 0;
}

static void ref_release(void *ud)
{
    dl_obj_release(ud);
}

static const dl_fn_class original_fired_class = {original_fired_call, ref_release, NULL,
                                                 "_originalFired"};

/* The canceller of our Deferred: cancel() on it is c.cancel(). Holds no
 * reference: it can only run while our Deferred is unfired, and then the
 * pair on d (which holds one) has not run yet. */
static int mine_cancel_call(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    dl_controllable *c = ud;
    *out = dl_none();
    if (!take_fire(c, "cancel")) return 0;
    dl_obj_retain(c);
    int rc = dl_deferred_cancel(c->original);
    if (rc) *out = dl_engine_take_raised(c->eng);
    dl_obj_release(c);
    return rc ? DL_ERAISED : 0;
}

static const dl_fn_class mine_cancel_class = {mine_cancel_call, NULL, NULL, "cancelOriginal"};

dl_controllable *dl_controllable_new(dl_deferred *original)
{
    dl_engine *eng = original->eng;
    dl_controllable *c = calloc(1, sizeof *c);
    if (!c) {
        oom(eng);
        return NULL;
    }
    dl_obj_init(&c->hdr, &controllable_class);
    c->hdr.id = dl_engine_next_obj_id(eng);
    c->eng = eng;
    c->original = dl_deferred_retain(original);
    c->mine = dl_deferred_new(eng, dl_fn_make(&mine_cancel_class, c));
    if (!c->mine) {
        dl_obj_release(c);
        oom(eng);
        return NULL;
    }
    emit_state(c);
    dl_obj_retain(c);
    dl_obj_retain(c);
    if (dl_deferred_add_both(original, dl_fn_make(&original_fired_class, c),
                             dl_fn_make(&original_fired_class, c)) != 0) {
        dl_obj_release(c);
        oom(eng);
        return NULL;
    }
    return c;
}

dl_deferred *dl_controllable_deferred(const dl_controllable *c)
{
    return c->mine;
}

dl_deferred *dl_controllable_original(const dl_controllable *c)
{
    return c->original;
}

bool dl_controllable_fired(const dl_controllable *c)
{
    return c->fired;
}

/* Fire ours with v (a failure takes the errback path), then cancel d. */
static int fire_then_cancel(dl_controllable *c, const char *by, dl_value v)
{
    if (c->fired) return 0;
    if (v.kind == DL_DEFERRED)
        return dl__raisef(c->eng, DL_EASSERTION, &dl_type_AssertionError,
                          "callback() cannot be given a Deferred");
    dl_value f = dl_none();
    if (by[0] == 'e') {
        f = dl_as_failure(v);
        if (f.kind == DL_NONE)
            return dl__raisef(c->eng, DL_ETYPE, &dl_type_TypeError,
                              "errback() needs a failure or an exception");
    }
    take_fire(c, by);
    dl_obj_retain(c);
    int rc =
        f.kind == DL_FAILURE ? dl_deferred_errback(c->mine, f) : dl_deferred_callback(c->mine, v);
    dl_release(f);
    int rc2 = dl_deferred_cancel(c->original);
    dl_obj_release(c);
    return rc ? rc : rc2;
}

int dl_controllable_callback(dl_controllable *c, dl_value v)
{
    return fire_then_cancel(c, "callback", v);
}

int dl_controllable_errback(dl_controllable *c, dl_value failure_or_exception)
{
    return fire_then_cancel(c, "errback", failure_or_exception);
}

int dl_controllable_cancel(dl_controllable *c)
{
    if (c->fired) return 0;
    dl_value f = dl_fail_value(&dl_type_CancelledError, "%s", "");
    int rc = fire_then_cancel(c, "cancel", f);
    dl_release(f);
    return rc;
}

void dl_controllable_pause(dl_controllable *c)
{
    dl_deferred_pause(c->mine);
    dl_deferred_pause(c->original);
}

void dl_controllable_unpause(dl_controllable *c)
{
    dl_deferred_unpause(c->mine);
    dl_deferred_unpause(c->original);
}

dl_controllable *dl_controllable_of(dl_value v)
{
    return v.kind == DL_OBJ && v.u.o->cls == &controllable_class ? (dl_controllable *)v.u.o : NULL;
}

dl_value dl_controllable_value(dl_controllable *c)
{
    dl_obj_retain(c);
    return dl_obj_value(DL_OBJ, c);
}
