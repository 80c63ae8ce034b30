/* narrate.c - the narrative of a run, straight from engine events. */
#include "trace/narrate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/failure.h"
#include "trace/story.h"
#include "trace/trace.h"

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
    dl_trace_scratch scratch; /* each event becomes a record, then words (story.c) */
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
    /* An unhandled-error report carries the Deferred's label itself. */
    return DL_EV_BIT(DL_EV_OUTPUT) | DL_EV_BIT(DL_EV_UNHANDLED);
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

static void names_deferred(void *ud, uint32_t id, char *buf, size_t n)
{
    const char *name = name_of(ud, id, buf, n);
    if (name != buf) snprintf(buf, n, "%s", name);
}

static const char *names_call(void *ud, uint32_t id)
{
    const dl_narrator *n = ud;
    return id < n->ncalls ? n->calls[id] : NULL;
}

/* The words for an event, story.c's, from the event's record (*rec, valid
 * until the next event; *ok false when it could not be made). Returns the
 * length of story.c's words: an unhandled error gets " (raised at ...)"
 * after them. */
static size_t describe(dl_narrator *n, const dl_event *ev, dl_trace_rec *rec, bool *ok, char *t,
                       size_t size)
{
    if (ev->kind == DL_EV_CALL_SCHEDULED) set_name(&n->calls, &n->ncalls, ev->other, ev->name);
    *ok = dl_trace_render(&n->scratch, ev, rec) == 0;
    if (!*ok) {
        snprintf(t, size, "(%s: out of memory)", dl_event_wire_name(ev->kind));
        return strlen(t);
    }
    dl_story_names names = {names_deferred, names_call, n};
    size_t w = dl_story_rec(rec, &names, t, size);
    const dl_failure *f = ev->kind == DL_EV_UNHANDLED ? dl_failure_of(ev->value) : NULL;
    if (f && f->where && w < size) snprintf(t + w, size - w, " (raised at %s)", f->where);
    return w;
}

void dl_narrate(void *ud, const dl_event *ev)
{
    dl_narrator *n = ud;
    char t[LINE_MAX_];
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
    if (ev->kind == DL_EV_UNHANDLED && ev->name && ev->name[0])
        set_name(&n->labels, &n->nlabels, ev->d, ev->name); /* --quiet hears no LABEL */
    bool quiet = n->flags & DL_NARRATE_QUIET;
    if (quiet && ev->kind != DL_EV_UNHANDLED) return;
    if (ev->kind == DL_EV_ADDED && ev->other) return; /* a continuation: WAITING tells it */
    dl_trace_rec rec;
    bool ok;
    size_t words = describe(n, ev, &rec, &ok, t, sizeof t);
    if (ev->kind == DL_EV_UNHANDLED && n->unhandled++ == 0) {
        /* Remember the first, with where its failure was raised. */
        const dl_failure *f = dl_failure_of(ev->value);
        snprintf(n->first_unhandled, sizeof n->first_unhandled, "%s%s%.*s",
                 f && f->where ? f->where : "", f && f->where ? ": " : "", (int)words, t);
    }
    if (quiet) return;
    if (ev->kind == DL_EV_RETURN && ok && n->held && n->held_kind == DL_EV_CALL &&
        n->held_d == ev->d && n->held_index == ev->index) {
        /* "d1: callback #1 f got 5" and its return share a line */
        char outcome[LINE_MAX_], merged[LINE_MAX_ * 2 + 8];
        dl_story_outcome(&rec, outcome, sizeof outcome);
        snprintf(merged, sizeof merged, "%s -> %s", n->held_text, outcome);
        n->held = false;
        emit_line(n, n->held_line, merged);
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
    dl_trace_scratch_free(&n->scratch);
    free(n);
}
