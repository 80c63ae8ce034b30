/* helpers.c - see helpers.h. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dl_engine *E;
char LOG[16384];
char EVENTS[65536];

static void append(char *buf, size_t cap, const char *fmt, va_list ap)
{
    size_t len = strlen(buf);
    if (len + 1 < cap) vsnprintf(buf + len, cap - len, fmt, ap);
}

void logf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(LOG, sizeof LOG, fmt, ap);
    va_end(ap);
}

static void eventf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void eventf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(EVENTS, sizeof EVENTS, fmt, ap);
    va_end(ap);
}

const char *R(dl_value v)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    dl_repr(v, b, 512);
    return b;
}

int setup_engine(void **state)
{
    (void)state;
    E = dl_engine_new();
    LOG[0] = '\0';
    EVENTS[0] = '\0';
    return E ? 0 : -1;
}

static dl_value pool[4096];
static size_t pool_len;

static dl_value pooled(dl_value v)
{
    if (pool_len < sizeof pool / sizeof pool[0]) pool[pool_len++] = v;
    return v;
}

int teardown_engine(void **state)
{
    (void)state;
    while (pool_len)
        dl_release(pool[--pool_len]);
    dl_engine_free(E);
    E = NULL;
    return 0;
}

static void recorder(void *ud, const dl_event *ev)
{
    (void)ud;
    eventf("%s d=%u", dl_event_wire_name(ev->kind), (unsigned)ev->d);
    if (ev->other) eventf(" other=%u", (unsigned)ev->other);
    if (ev->index) eventf(" #%u", (unsigned)ev->index);
    if (ev->kind == DL_EV_CALL || ev->kind == DL_EV_RETURN || ev->kind == DL_EV_PASS)
        eventf(" %s", ev->slot == DL_SLOT_CALLBACK ? "cb" : "eb");
    if (ev->name && ev->kind != DL_EV_UNHANDLED) eventf(" %s", ev->name); /* there: d's label */
    if (ev->name2) eventf("/%s", ev->name2);
    if (ev->kind == DL_EV_PAUSED || ev->kind == DL_EV_UNPAUSED)
        eventf(" n=%lld", (long long)ev->count);
    if (ev->kind == DL_EV_RETURN && ev->count) eventf(" raised");
    if (ev->kind == DL_EV_STATE) eventf(" %s %s", ev->text ? ev->text : "", R(ev->value));
    if (ev->kind >= DL_EV_CLOCK_ADVANCE && ev->kind <= DL_EV_CALL_MOVED &&
        ev->kind != DL_EV_CALL_RAN && ev->kind != DL_EV_CALL_CANCELLED)
        eventf(" @%g", ev->num);
    if (ev->kind == DL_EV_FIRED || ev->kind == DL_EV_CALL || ev->kind == DL_EV_RETURN ||
        ev->kind == DL_EV_HANDOFF || ev->kind == DL_EV_STOLEN || ev->kind == DL_EV_UNHANDLED ||
        ev->kind == DL_EV_PASS || ev->kind == DL_EV_CANCELLER_RAISED)
        eventf(" %s", R(ev->value));
    eventf("\n");
}

void record_events(void)
{
    dl_engine_observe(E, recorder, NULL);
}

/* ---- scripted callbacks --------------------------------------------- */

enum mode { LOG_ONLY, RET, RAISE, DEFER, CUSTOM, CANCEL_NOOP, CANCEL_CB, CANCEL_EB, CANCEL_RAISE };

typedef struct spec {
    enum mode mode;
    char name[48];
    dl_value v;
    dl_errtype *t;
    char msg[64];
    dl_deferred *d;
    custom_fn fn;
    void *ud;
} spec;

static int spec_call(void *ud, dl_value in, dl_value *out)
{
    spec *s = ud;
    logf_("%s(%s) ", s->name, R(in));
    switch (s->mode) {
    case LOG_ONLY:
        *out = dl_retain(in);
        return 0;
    case RET:
        *out = dl_retain(s->v);
        return dl_is_failure(*out) ? DL_ERAISED : 0;
    case RAISE:
    case CANCEL_RAISE:
        *out = dl_fail_value(s->t, "%s", s->msg);
        return DL_ERAISED;
    case DEFER:
        *out = dl_deferred_value(s->d);
        return 0;
    case CUSTOM:
        *out = s->fn(in, s->ud);
        return dl_is_failure(*out) ? DL_ERAISED : 0;
    case CANCEL_NOOP:
        *out = dl_none();
        return 0;
    case CANCEL_CB:
        dl_deferred_callback(dl_deferred_of(in), s->v);
        *out = dl_none();
        return 0;
    case CANCEL_EB: {
        dl_value f = dl_fail_value(s->t, "%s", s->msg);
        dl_deferred_errback(dl_deferred_of(in), f);
        dl_release(f);
        *out = dl_none();
        return 0;
    }
    }
    return 0;
}

static void spec_release(void *ud)
{
    spec *s = ud;
    dl_release(s->v);
    if (s->d) dl_deferred_release(s->d);
    free(s);
}

static const char *spec_name(void *ud)
{
    return ((spec *)ud)->name;
}

static const dl_fn_class spec_class = {spec_call, spec_release, spec_name, "spec"};

static dl_fn make(enum mode m, const char *name)
{
    spec *s = calloc(1, sizeof *s);
    s->mode = m;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->v = dl_none();
    return dl_fn_make(&spec_class, s);
}

dl_fn cb_log(const char *name)
{
    return make(LOG_ONLY, name);
}

dl_fn cb_ret(const char *name, dl_value v)
{
    dl_fn f = make(RET, name);
    ((spec *)f.ud)->v = dl_retain(v);
    return f;
}

dl_fn cb_raise(const char *name, dl_errtype *t, const char *msg)
{
    dl_fn f = make(RAISE, name);
    ((spec *)f.ud)->t = t;
    snprintf(((spec *)f.ud)->msg, 64, "%s", msg);
    return f;
}

dl_fn cb_defer(const char *name, dl_deferred *d)
{
    dl_fn f = make(DEFER, name);
    ((spec *)f.ud)->d = dl_deferred_retain(d);
    return f;
}

dl_fn cb_custom(const char *name, custom_fn fn, void *ud)
{
    dl_fn f = make(CUSTOM, name);
    ((spec *)f.ud)->fn = fn;
    ((spec *)f.ud)->ud = ud;
    return f;
}

dl_fn canceller_log(const char *name)
{
    return make(CANCEL_NOOP, name);
}

dl_fn canceller_callback(const char *name, dl_value v)
{
    dl_fn f = make(CANCEL_CB, name);
    ((spec *)f.ud)->v = dl_retain(v);
    return f;
}

dl_fn canceller_errback(const char *name, dl_errtype *t, const char *msg)
{
    dl_fn f = make(CANCEL_EB, name);
    ((spec *)f.ud)->t = t;
    snprintf(((spec *)f.ud)->msg, 64, "%s", msg);
    return f;
}

dl_fn canceller_raise(const char *name, dl_errtype *t, const char *msg)
{
    dl_fn f = make(CANCEL_RAISE, name);
    ((spec *)f.ud)->t = t;
    snprintf(((spec *)f.ud)->msg, 64, "%s", msg);
    return f;
}

dl_deferred *D(const char *name)
{
    dl_deferred *d = dl_deferred_new(E, dl_passthru());
    dl_deferred_set_label(d, name);
    return d;
}

dl_value S(const char *s)
{
    return pooled(dl_cstr(s));
}

dl_value F(dl_errtype *t, const char *msg)
{
    return pooled(dl_fail_value(t, "%s", msg));
}

dl_value I(int64_t i)
{
    return dl_int(i);
}

void assert_result(dl_deferred *d, const char *repr)
{
    assert_true(d->called);
    assert_string_equal(R(d->result), repr);
}

void assert_log(const char *expected)
{
    size_t n = strlen(LOG);
    while (n && LOG[n - 1] == ' ')
        LOG[--n] = '\0';
    assert_string_equal(LOG, expected);
    LOG[0] = '\0';
}

void clear_log(void)
{
    LOG[0] = '\0';
}
