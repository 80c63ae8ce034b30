/* story.c - the words for every step of a run (see story.h). */
#include "trace/story.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *slot_word(int slot)
{
    return slot == DL_SLOT_ERRBACK ? "errback" : "callback";
}

static size_t say(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static size_t say(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    if (w < 0) return 0;
    return (size_t)w < n ? (size_t)w : n ? n - 1 : 0;
}

/* "Failure(ValueError: bad)" -> "ValueError: bad": a failure reads as the
 * exception it carries. */
static const char *unwrap_failure(const dl_trace_rec *r, char *out, size_t n)
{
    const char *repr = r->value ? r->value : "nil";
    size_t len = strlen(repr);
    if (r->vkind == DL_FAILURE && len > 9 && strncmp(repr, "Failure(", 8) == 0 &&
        repr[len - 1] == ')') {
        snprintf(out, n, "%.*s", (int)(len - 9), repr + 8);
        return out;
    }
    return repr;
}

/* "mark (call #5)", or "call #5" when its function is not known. The
 * record's own name comes first (scheduled and ran carry one). */
static void call_name(const dl_story_names *names, const dl_trace_rec *r, char *buf, size_t n)
{
    uint32_t id = r->other;
    const char *fn = r->name && r->name[0] ? r->name
                     : names->call         ? names->call(names->ud, id)
                                           : NULL;
    if (fn && fn[0])
        snprintf(buf, n, "%s (call #%u)", fn, (unsigned)id);
    else
        snprintf(buf, n, "call #%u", (unsigned)id);
}

static size_t story_state(const dl_trace_rec *r, char *buf, size_t n)
{
    size_t w = r->name && r->name[0]
                   ? say(buf, n, "%s %s:", r->text ? r->text : "structure", r->name)
                   : say(buf, n, "%s #%u:", r->text ? r->text : "structure", (unsigned)r->d);
    for (uint32_t i = 0; i < r->nstate && w + 1 < n; i++)
        w += say(buf + w, n - w, " %s=%s", r->state[i].key, r->state[i].repr);
    return w;
}

size_t dl_story_outcome(const dl_trace_rec *r, char *buf, size_t n)
{
    char tmp[600];
    if (r->count) return say(buf, n, "raised %s", unwrap_failure(r, tmp, sizeof tmp));
    return say(buf, n, "returned %s", r->value ? r->value : "nil");
}

size_t dl_story_rec(const dl_trace_rec *r, const dl_story_names *names, char *buf, size_t n)
{
    char d[96], o[96], tmp[600];
    names->deferred(names->ud, r->d, d, sizeof d);
    names->deferred(names->ud, r->other, o, sizeof o);
    const char *v = r->value ? r->value : "nil";
    const char *nm = r->name ? r->name : "?";
    switch (r->kind) {
    case DL_EV_CREATED:
        return say(buf, n, "%s = %s()", d, r->text ? r->text : "Deferred");
    case DL_EV_LABEL:
        return say(buf, n, "d#%u is named %s", (unsigned)r->d, r->text ? r->text : "?");
    case DL_EV_ADDED:
        if (r->other)
            return say(buf, n, "%s: continuation #%u added: its result will go to %s", d,
                       (unsigned)r->index, o);
        if (r->name && r->name2 && strcmp(r->name, r->name2) == 0)
            return say(buf, n, "%s: added #%u %s on both tracks", d, (unsigned)r->index, nm);
        if (r->name2 && strcmp(nm, "passthru") == 0)
            return say(buf, n, "%s: added errback #%u %s", d, (unsigned)r->index, r->name2);
        if (!r->name2 || strcmp(r->name2, "passthru") == 0)
            return say(buf, n, "%s: added callback #%u %s", d, (unsigned)r->index, nm);
        return say(buf, n, "%s: added callbacks #%u %s / %s", d, (unsigned)r->index, nm, r->name2);
    case DL_EV_FIRED:
        return say(buf, n, "%s fires: %s(%s)", d, r->vkind == DL_FAILURE ? "errback" : "callback",
                   v);
    case DL_EV_CALL:
        return say(buf, n, "%s: %s #%u %s got %s", d, slot_word(r->slot), (unsigned)r->index, nm,
                   v);
    case DL_EV_RETURN: {
        size_t w = say(buf, n, "%s: %s #%u %s ", d, slot_word(r->slot), (unsigned)r->index, nm);
        return w + dl_story_outcome(r, buf + w, n - w);
    }
    case DL_EV_PASS:
        return say(buf, n, "%s: #%u has no %s, so %s passes over", d, (unsigned)r->index,
                   slot_word(r->slot), v);
    case DL_EV_PAUSED:
        return say(buf, n, "%s paused (count %lld)", d, (long long)r->count);
    case DL_EV_UNPAUSED:
        return say(buf, n, "%s unpaused (count %lld)", d, (long long)r->count);
    case DL_EV_WAITING:
        return say(buf, n, "%s waits on %s", d, o);
    case DL_EV_HANDOFF:
        return say(buf, n, "%s hands its result %s to %s (%s is left with nil)", o, v, d, o);
    case DL_EV_STOLEN:
        return say(buf, n, "%s takes %s's ready result %s (%s is left with nil)", d, o, v, o);
    case DL_EV_CHAINED:
        return say(buf, n, "%s:chainDeferred(%s)", d, o);
    case DL_EV_CANCEL:
        return say(buf, n, "%s:cancel()", d);
    case DL_EV_CANCELLER:
        return say(buf, n, "%s: canceller %s called", d, nm);
    case DL_EV_CANCELLER_RAISED:
        return say(buf, n, "%s: canceller raised %s", d, unwrap_failure(r, tmp, sizeof tmp));
    case DL_EV_SUPPRESSED:
        return say(buf, n, "%s: late fire swallowed (it was cancelled with no canceller)", d);
    case DL_EV_ALREADY_CALLED:
        return say(buf, n, "%s: fired twice: AlreadyCalledError", d);
    case DL_EV_REFUSED:
        return say(buf, n, "%s: refused: %s", d, r->text ? r->text : "");
    case DL_EV_UNHANDLED:
        return say(buf, n, "Unhandled error in Deferred %s: %s", d,
                   unwrap_failure(r, tmp, sizeof tmp));
    case DL_EV_WARNING:
        return say(buf, n, "%s: warning: %s", d, r->text ? r->text : "");
    case DL_EV_STATE:
        return story_state(r, buf, n);
    case DL_EV_CLOCK_ADVANCE:
        return say(buf, n, "clock #%u advances to t=%g", (unsigned)r->d, r->num);
    case DL_EV_CALL_SCHEDULED:
        call_name(names, r, o, sizeof o);
        return say(buf, n, "clock #%u: callLater %s for t=%g", (unsigned)r->d, o, r->num);
    case DL_EV_CALL_RAN:
        call_name(names, r, o, sizeof o);
        return say(buf, n, "clock #%u runs %s", (unsigned)r->d, o);
    case DL_EV_CALL_CANCELLED:
        call_name(names, r, o, sizeof o);
        return say(buf, n, "clock #%u: %s cancelled", (unsigned)r->d, o);
    case DL_EV_CALL_MOVED:
        call_name(names, r, o, sizeof o);
        return say(buf, n, "clock #%u: %s moved to t=%g", (unsigned)r->d, o, r->num);
    case DL_EV_CELL:
        return say(buf, n, "-- cell %lld --", (long long)r->count);
    case DL_EV_NOTE:
        return say(buf, n, "note: %s", r->text ? r->text : "");
    case DL_EV_OUTPUT:
        return say(buf, n, "%s", r->text ? r->text : "");
    default:
        return say(buf, n, "%s (an event this version does not describe)",
                   r->kind_name ? r->kind_name : "?");
    }
}

/* ---- over a model's log ----------------------------------------------- */

typedef struct model_names {
    const dl_model *m;
    uint32_t created;  /* the Deferred whose creation is being told ... */
    const char *label; /* ... and the label given right after it, or NULL */
} model_names;

static void model_deferred(void *ud, uint32_t id, char *buf, size_t n)
{
    const model_names *mn = ud;
    const dl_model_deferred *d = dl_model_find_deferred(mn->m, id);
    if (mn->label && id == mn->created)
        snprintf(buf, n, "%s", mn->label);
    else if (d)
        dl_model_deferred_name(d, buf, n);
    else
        snprintf(buf, n, "d#%u", (unsigned)id);
}

static const char *model_call(void *ud, uint32_t id)
{
    const model_names *mn = ud;
    for (size_t k = 0; k < dl_model_call_count(mn->m); k++) {
        const dl_model_call *c = dl_model_call_at(mn->m, k);
        if (c->id == id) return c->name;
    }
    return NULL;
}

size_t dl_story(const dl_model *m, size_t i, char *buf, size_t n)
{
    const dl_trace_rec *r = dl_model_event(m, i);
    model_names mn = {m, 0, NULL};
    if (r->kind == DL_EV_CREATED) {
        /* The host names a Deferred just after creating it. */
        const dl_trace_rec *next = i + 1 < dl_model_len(m) ? dl_model_event(m, i + 1) : NULL;
        if (next && next->kind == DL_EV_LABEL && next->d == r->d && next->text && next->text[0]) {
            mn.created = r->d;
            mn.label = next->text;
        }
    }
    dl_story_names names = {model_deferred, model_call, &mn};
    return dl_story_rec(r, &names, buf, n);
}
