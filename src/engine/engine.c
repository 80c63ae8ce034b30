/* engine.c - the engine context: observer, ids, raised slot, live list. */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deferred.h"

dl_engine *dl_engine_new(void)
{
    dl_engine *eng = calloc(1, sizeof *eng);
    if (!eng) return NULL;
    eng->raised = dl_none();
    return eng;
}

void dl_engine_observe(dl_engine *eng, dl_observer_fn fn, void *ud)
{
    eng->observer = fn;
    eng->observer_ud = ud;
    eng->listen = fn ? DL_EV_ALL : 0;
}

void dl__deferred_teardown_all(dl_engine *eng);

void dl_engine_free(dl_engine *eng)
{
    if (!eng) return;
    eng->destroying = true;
    /* Hooks may unregister themselves (or others) while running. */
    while (eng->non_free) {
        dl_engine_hook h = eng->on_free[--eng->non_free];
        h.fn(h.ud);
    }
    free(eng->on_free);
    dl__deferred_teardown_all(eng);
    dl_release(eng->raised);
    free(eng);
}

dl_value dl_engine_take_raised(dl_engine *eng)
{
    dl_value v = eng->raised;
    eng->raised = dl_none();
    return v;
}

int dl__raise(dl_engine *eng, int code, dl_value failure)
{
    dl_release(eng->raised);
    eng->raised = failure;
    return code;
}

int dl__raisef(dl_engine *eng, int code, dl_errtype *type, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dl__raise(eng, code, dl_fail_value(type, "%s", msg));
}

void dl_engine_emit(dl_engine *eng, dl_event *ev)
{
    if (!dl_engine_wants(eng, ev->kind) || !eng->observer) return;
    ev->seq = eng->seq++;
    ev->time = eng->now ? eng->now(eng->now_ud) : 0.0;
    if (!ev->file && eng->locator) eng->locator(eng->locator_ud, &ev->file, &ev->line);
    eng->observer(eng->observer_ud, ev);
}

void dl_engine_emit_text(dl_engine *eng, dl_event_kind kind, const char *text)
{
    if (!dl_engine_wants(eng, kind) || !eng->observer) return;
    dl_event ev = {.kind = kind, .text = text};
    dl_engine_emit(eng, &ev);
}

int dl__engine_on_free(dl_engine *eng, void (*fn)(void *), void *ud)
{
    if (eng->non_free == eng->cap_on_free) {
        size_t cap = eng->cap_on_free ? eng->cap_on_free * 2 : 4;
        dl_engine_hook *h = realloc(eng->on_free, cap * sizeof *h);
        if (!h) return DL_ENOMEM;
        eng->on_free = h;
        eng->cap_on_free = cap;
    }
    eng->on_free[eng->non_free++] = (dl_engine_hook){fn, ud};
    return 0;
}

void dl__engine_off_free(dl_engine *eng, void (*fn)(void *), void *ud)
{
    for (size_t i = 0; i < eng->non_free; i++) {
        if (eng->on_free[i].fn != fn || eng->on_free[i].ud != ud) continue;
        memmove(&eng->on_free[i], &eng->on_free[i + 1],
                (eng->non_free - i - 1) * sizeof *eng->on_free);
        eng->non_free--;
        return;
    }
}

uint32_t dl_engine_next_obj_id(dl_engine *eng)
{
    return ++eng->next_obj_id;
}
