/* narrate.c - the narrative of a run, straight from engine events. */
#include "trace/narrate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/failure.h"

#define LINE_MAX_ 1024

struct dl_narrator {
    FILE *out;
    unsigned flags;
    size_t unhandled;
    char **labels; /* labels[id]: a Deferred's display name, or NULL */
    size_t nlabels;
    char **calls; /* calls[id]: a delayed call's function name, or NULL */
    size_t ncalls;
    /* A line held back: a CREATED waiting for its LABEL, or a CALL waiting
     * for its RETURN. */
    dl_event_kind held_kind;
    bool held;
    uint32_t held_d, held_index;
    int held_line;
    char held_text[LINE_MAX_];
    char first_unhandled[LINE_MAX_];
};

dl_narrator *dl_narrator_new(FILE *out, unsigned flags)
{
    dl_narrator *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->out = out;
    n->flags = flags;
    return n;
}

uint64_t dl_narrator_listens(const dl_narrator *n)
{
    if (!(n->flags & DL_NARRATE_QUIET)) return DL_EV_ALL;
    /* Labels name the Deferred in an unhandled-error report. */
    return DL_EV_BIT(DL_EV_OUTPUT) | DL_EV_BIT(DL_EV_LABEL) | DL_EV_BIT(DL_EV_UNHANDLED);
}

size_t dl_narrator_unhandled(const dl_narrator *n)
{
    return n->unhandled;
}

const char *dl_narrator_first_unhandled(const dl_narrator *n)
{
    return n->first_unhandled;
}

/* names[id] = name (a copy), growing the table as needed. */
static void set_name(char ***names, size_t *len, uint32_t id, const char *name)
{
    if (id >= *len) {
        size_t cap = *len ? *len : 64;
        while (cap <= id)
            cap *= 2;
        char **l = realloc(*names, cap * sizeof *l);
        if (!l) return; /* the name falls back to its number */
        memset(l + *len, 0, (cap - *len) * sizeof *l);
        *names = l;
        *len = cap;
    }
    free((*names)[id]);
    (*names)[id] = name && name[0] ? strdup(name) : NULL;
}

static const char *name_of(const dl_narrator *n, uint32_t id, char *buf, size_t size)
{
    if (id < n->nlabels && n->labels[id]) return n->labels[id];
    snprintf(buf, size, "d#%u", (unsigned)id);
    return buf;
}

/* "mark (call #3)" for a delayed call. */
static const char *call_name(const dl_narrator *n, uint32_t id, char *buf, size_t size)
{
    if (id < n->ncalls && n->calls[id])
        snprintf(buf, size, "%s (call #%u)", n->calls[id], id);
    else
        snprintf(buf, size, "call #%u", (unsigned)id);
    return buf;
}

static void emit_line(dl_narrator *n, int line, const char *text)
{
    if (n->flags & DL_NARRATE_QUIET) return;
    if (line > 0)
        fprintf(n->out, "%4d | %s\n", line, text);
    else
        fprintf(n->out, "     | %s\n", text);
}

void dl_narrator_flush(dl_narrator *n)
{
    if (!n->held) return;
    n->held = false;
    emit_line(n, n->held_line, n->held_text);
}

static void hold(dl_narrator *n, const dl_event *ev, const char *text)
{
    dl_narrator_flush(n);
    n->held = true;
    n->held_kind = ev->kind;
    n->held_d = ev->d;
    n->held_index = ev->index;
    n->held_line = ev->line;
    snprintf(n->held_text, sizeof n->held_text, "%s", text);
}

/* "Failure(ValueError: bad)" -> "ValueError: bad". */
static void failure_text(dl_value v, char *buf, size_t size)
{
    char r[LINE_MAX_ / 2];
    dl_repr(v, r, sizeof r);
    size_t len = strlen(r);
    if (v.kind == DL_FAILURE && len > 9 && strncmp(r, "Failure(", 8) == 0 && r[len - 1] == ')')
        snprintf(buf, size, "%.*s", (int)(len - 9), r + 8);
    else
        snprintf(buf, size, "%s", r);
}

static const char *slot_word(dl_slot s)
{
    return s == DL_SLOT_ERRBACK ? "errback" : "callback";
}

static void say(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* The words for an event; "" when it tells nothing on its own. */
static void describe(dl_narrator *n, const dl_event *ev, char *t, size_t size)
{
    char d[128], o[128], v[LINE_MAX_ / 2];
    const char *dn = name_of(n, ev->d, d, sizeof d);
    const char *on = name_of(n, ev->other, o, sizeof o);
    const char *nm = ev->name ? ev->name : "?";
    dl_repr(ev->value, v, sizeof v);
    t[0] = '\0';
    switch (ev->kind) {
    case DL_EV_CREATED:
        say(t, size, "%s = %s()", dn, ev->text ? ev->text : "Deferred");
        break;
    case DL_EV_LABEL:
        say(t, size, "d#%u is named %s", (unsigned)ev->d, ev->text ? ev->text : "");
        break;
    case DL_EV_ADDED:
        if (ev->other) break; /* a continuation: WAITING tells it */
        if (ev->name && ev->name2 && strcmp(ev->name, ev->name2) == 0)
            say(t, size, "%s: added #%u %s on both tracks", dn, ev->index, nm);
        else if (ev->name && strcmp(nm, "passthru") == 0)
            say(t, size, "%s: added errback #%u %s", dn, ev->index, ev->name2 ? ev->name2 : "?");
        else if (!ev->name2 || strcmp(ev->name2, "passthru") == 0)
            say(t, size, "%s: added callback #%u %s", dn, ev->index, nm);
        else
            say(t, size, "%s: added #%u %s / %s", dn, ev->index, nm, ev->name2);
        break;
    case DL_EV_FIRED:
        say(t, size, "%s fires: %s(%s)", dn, dl_is_failure(ev->value) ? "errback" : "callback", v);
        break;
    case DL_EV_CALL:
        say(t, size, "%s: %s #%u %s got %s", dn, slot_word(ev->slot), ev->index, nm, v);
        break;
    case DL_EV_RETURN:
        if (ev->count) {
            failure_text(ev->value, v, sizeof v);
            say(t, size, "raised %s", v);
        } else {
            say(t, size, "returned %s", v);
        }
        break;
    case DL_EV_PASS:
        say(t, size, "%s: #%u has no %s: %s passes on", dn, ev->index, slot_word(ev->slot), v);
        break;
    case DL_EV_PAUSED:
        say(t, size, "%s paused (count %lld)", dn, (long long)ev->count);
        break;
    case DL_EV_UNPAUSED:
        say(t, size, "%s unpaused (count %lld)", dn, (long long)ev->count);
        break;
    case DL_EV_WAITING:
        say(t, size, "%s waits on %s", dn, on);
        break;
    case DL_EV_HANDOFF:
        say(t, size, "%s hands its result %s to %s", on, v, dn);
        break;
    case DL_EV_STOLEN:
        say(t, size, "%s takes the ready result %s of %s", dn, v, on);
        break;
    case DL_EV_CHAINED:
        say(t, size, "%s:chainDeferred(%s)", dn, on);
        break;
    case DL_EV_CANCEL:
        say(t, size, "%s:cancel()", dn);
        break;
    case DL_EV_CANCELLER:
        say(t, size, "%s: canceller %s called", dn, nm);
        break;
    case DL_EV_CANCELLER_RAISED:
        failure_text(ev->value, v, sizeof v);
        say(t, size, "%s: canceller raised %s", dn, v);
        break;
    case DL_EV_SUPPRESSED:
        say(t, size, "%s: a late fire after cancel() is swallowed", dn);
        break;
    case DL_EV_ALREADY_CALLED:
        say(t, size, "%s: fired twice: AlreadyCalledError", dn);
        break;
    case DL_EV_REFUSED:
        say(t, size, "%s: refused: %s", dn, ev->text ? ev->text : "");
        break;
    case DL_EV_UNHANDLED: {
        const dl_failure *f = dl_failure_of(ev->value);
        failure_text(ev->value, v, sizeof v);
        if (f && f->where)
            say(t, size, "Unhandled error in Deferred %s: %s (raised at %s)", dn, v, f->where);
        else
            say(t, size, "Unhandled error in Deferred %s: %s", dn, v);
        break;
    }
    case DL_EV_WARNING:
        say(t, size, "%s: warning: %s", dn, ev->text ? ev->text : "");
        break;
    case DL_EV_STATE: {
        /* {{"pending", {...}}, {"waiting", {...}}} -> pending={...} waiting={...} */
        size_t w =
            (size_t)snprintf(t, size, "%s#%u:", ev->text ? ev->text : "structure", (unsigned)ev->d);
        for (size_t i = 0; i < dl_list_len(ev->value) && w < size; i++) {
            dl_value kv = dl_list_get(ev->value, i);
            const char *key = dl_str_cstr(dl_list_get(kv, 0));
            dl_repr(dl_list_get(kv, 1), v, sizeof v);
            w += (size_t)snprintf(t + w, size - w, " %s=%s", key ? key : "?", v);
        }
        break;
    }
    case DL_EV_CLOCK_ADVANCE:
        say(t, size, "clock #%u advances to t=%g", (unsigned)ev->d, ev->num);
        break;
    case DL_EV_CALL_SCHEDULED:
        set_name(&n->calls, &n->ncalls, ev->other, ev->name);
        say(t, size, "clock #%u: callLater %s for t=%g", (unsigned)ev->d,
            call_name(n, ev->other, o, sizeof o), ev->num);
        break;
    case DL_EV_CALL_RAN:
        say(t, size, "clock #%u runs %s", (unsigned)ev->d, call_name(n, ev->other, o, sizeof o));
        break;
    case DL_EV_CALL_CANCELLED:
        say(t, size, "clock #%u: %s cancelled", (unsigned)ev->d,
            call_name(n, ev->other, o, sizeof o));
        break;
    case DL_EV_CALL_MOVED:
        say(t, size, "clock #%u: %s moved to t=%g", (unsigned)ev->d,
            call_name(n, ev->other, o, sizeof o), ev->num);
        break;
    case DL_EV_NOTE:
        say(t, size, "note: %s", ev->text ? ev->text : "");
        break;
    case DL_EV_CELL:
        say(t, size, "-- cell %lld --", (long long)ev->count);
        break;
    default: {
        const char *w = dl_event_wire_name(ev->kind);
        say(t, size, "(%s)", w ? w : "event");
        break;
    }
    }
}

void dl_narrate(void *ud, const dl_event *ev)
{
    dl_narrator *n = ud;
    char t[LINE_MAX_];
    if (ev->kind == DL_EV_UNHANDLED && n->unhandled++ == 0) {
        /* Remember the first, with where its failure was raised. */
        char d[128], v[LINE_MAX_ / 2];
        const dl_failure *f = dl_failure_of(ev->value);
        failure_text(ev->value, v, sizeof v);
        snprintf(n->first_unhandled, sizeof n->first_unhandled,
                 "%s%sUnhandled error in Deferred %s: %s", f && f->where ? f->where : "",
                 f && f->where ? ": " : "", name_of(n, ev->d, d, sizeof d), v);
    }
    if (ev->kind == DL_EV_OUTPUT) {
        dl_narrator_flush(n);
        fprintf(n->out, "%s\n", ev->text ? ev->text : "");
        return;
    }
    if (ev->kind == DL_EV_LABEL) {
        set_name(&n->labels, &n->nlabels, ev->d, ev->text);
        if (n->held && n->held_kind == DL_EV_CREATED && n->held_d == ev->d) {
            /* "d#3 = Deferred()" becomes "d1 = Deferred()" */
            const char *eq = strstr(n->held_text, " = ");
            char rest[LINE_MAX_];
            snprintf(rest, sizeof rest, "%s", eq ? eq : "");
            snprintf(n->held_text, sizeof n->held_text, "%.100s%s", ev->text ? ev->text : "", rest);
            dl_narrator_flush(n);
            return;
        }
    }
    if (n->flags & DL_NARRATE_QUIET) return;
    describe(n, ev, t, sizeof t);
    if (ev->kind == DL_EV_RETURN) {
        if (n->held && n->held_kind == DL_EV_CALL && n->held_d == ev->d &&
            n->held_index == ev->index) {
            char merged[LINE_MAX_ * 2 + 8];
            snprintf(merged, sizeof merged, "%s -> %s", n->held_text, t);
            n->held = false;
            emit_line(n, n->held_line, merged);
            return;
        }
        char d[128], line[LINE_MAX_ * 3];
        snprintf(line, sizeof line, "%s: %s #%u %s -> %s", name_of(n, ev->d, d, sizeof d),
                 slot_word(ev->slot), ev->index, ev->name ? ev->name : "?", t);
        dl_narrator_flush(n);
        emit_line(n, ev->line, line);
        return;
    }
    if (ev->kind == DL_EV_CREATED || ev->kind == DL_EV_CALL) {
        hold(n, ev, t);
        return;
    }
    dl_narrator_flush(n);
    if (t[0]) emit_line(n, ev->line, t);
}

void dl_narrator_free(dl_narrator *n)
{
    if (!n) return;
    dl_narrator_flush(n);
    for (size_t i = 0; i < n->nlabels; i++)
        free(n->labels[i]);
    free(n->labels);
    for (size_t i = 0; i < n->ncalls; i++)
        free(n->calls[i]);
    free(n->calls);
    free(n);
}
