/* story.c - the narrative of trace records. */
#include "trace/story.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void name_of(const dl_model *m, uint32_t id, char *buf, size_t n)
{
    const dl_model_deferred *d = m ? dl_model_find_deferred(m, id) : NULL;
    if (d)
        dl_model_deferred_name(d, buf, n);
    else
        snprintf(buf, n, "d#%u", (unsigned)id);
}

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

/* "Failure(ValueError: bad)" -> "ValueError: bad" for the unhandled line. */
static void unwrap_failure(const char *repr, char *out, size_t n)
{
    size_t len = repr ? strlen(repr) : 0;
    if (len > 9 && strncmp(repr, "Failure(", 8) == 0 && repr[len - 1] == ')')
        snprintf(out, n, "%.*s", (int)(len - 9), repr + 8);
    else
        snprintf(out, n, "%s", repr ? repr : "?");
}

static size_t story_state(const dl_model *m, const dl_trace_rec *r, char *buf, size_t n)
{
    const dl_model_structure *s = m ? dl_model_find_structure(m, r->d) : NULL;
    size_t w =
        say(buf, n, "%s %s:", r->text ? r->text : "structure", s && s->label ? s->label : "");
    for (uint32_t i = 0; i < r->nstate && w + 1 < n; i++)
        w += say(buf + w, n - w, " %s=%s", r->state[i].key, r->state[i].repr);
    return w;
}

size_t dl_story(const dl_model *m, size_t i, char *buf, size_t n)
{
    char d[96], o[96], tmp[400];
    const dl_trace_rec *r = dl_model_event(m, i);
    name_of(m, r->d, d, sizeof d);
    name_of(m, r->other, o, sizeof o);
    const char *v = r->value ? r->value : "nil";
    const char *nm = r->name ? r->name : "?";
    switch (r->kind) {
    case DL_EV_CREATED: {
        /* The host names a Deferred just after creating it. */
        const dl_trace_rec *next = i + 1 < dl_model_len(m) ? dl_model_event(m, i + 1) : NULL;
        if (next && next->kind == DL_EV_LABEL && next->d == r->d && next->text && next->text[0])
            snprintf(d, sizeof d, "%s", next->text);
        if (r->text && strcmp(r->text, "Deferred") != 0)
            return say(buf, n, "%s: %s created", d, r->text);
        return say(buf, n, "%s created", d);
    }
    case DL_EV_LABEL:
        return say(buf, n, "d#%u is shown as %s", (unsigned)r->d, r->text ? r->text : "?");
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
    case DL_EV_RETURN:
        if (r->count)
            return say(buf, n, "%s: %s #%u %s raised %s", d, slot_word(r->slot), (unsigned)r->index,
                       nm, v);
        return say(buf, n, "%s: %s #%u %s returned %s", d, slot_word(r->slot), (unsigned)r->index,
                   nm, v);
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
        return say(buf, n, "%s: canceller raised %s", d, v);
    case DL_EV_SUPPRESSED:
        return say(buf, n, "%s: late fire swallowed (it was cancelled with no canceller)", d);
    case DL_EV_ALREADY_CALLED:
        return say(buf, n, "%s: fired twice: AlreadyCalledError", d);
    case DL_EV_REFUSED:
        return say(buf, n, "%s: refused: %s", d, r->text ? r->text : "");
    case DL_EV_UNHANDLED:
        unwrap_failure(r->value, tmp, sizeof tmp);
        return say(buf, n, "Unhandled error in Deferred %s: %s", d, tmp);
    case DL_EV_WARNING:
        return say(buf, n, "%s: warning: %s", d, r->text ? r->text : "");
    case DL_EV_STATE:
        return story_state(m, r, buf, n);
    case DL_EV_CLOCK_ADVANCE:
        return say(buf, n, "clock advances to t=%g", r->num);
    case DL_EV_CALL_SCHEDULED:
        return say(buf, n, "callLater: %s scheduled for t=%g", nm, r->num);
    case DL_EV_CALL_RAN:
        return say(buf, n, "delayed call %s runs", nm);
    case DL_EV_CALL_CANCELLED:
        return say(buf, n, "delayed call %s cancelled", r->name ? r->name : "");
    case DL_EV_CALL_MOVED:
        return say(buf, n, "delayed call %s moved to t=%g", r->name ? r->name : "", r->num);
    case DL_EV_CELL:
        return say(buf, n, "-- cell %lld --", (long long)r->count);
    case DL_EV_NOTE:
        return say(buf, n, "note: %s", r->text ? r->text : "");
    case DL_EV_OUTPUT:
        return say(buf, n, "%s", r->text ? r->text : "");
    default:
        return say(buf, n, "%s (an event this version does not describe)", r->kind_name);
    }
}
