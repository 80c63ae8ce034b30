/* engine.c - the engine context: observer, ids, raised slot, live list. */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "deferred.h"

dl_engine *dl_engine_new(void)
{
    dl_engine *eng = calloc(1, sizeof *eng);
    if (!eng) return NULL;
    eng->raised = dl_none();
    return eng;
}

void dl__deferred_teardown_all(dl_engine *eng);

void dl_engine_free(dl_engine *eng)
{
    if (!eng) return;
    eng->destroying = true;
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
    if (!eng->observer) return;
    ev->seq = eng->seq++;
    ev->time = eng->now ? eng->now(eng->now_ud) : 0.0;
    if (!ev->file && eng->locator) eng->locator(eng->locator_ud, &ev->file, &ev->line);
    eng->observer(eng->observer_ud, ev);
}

void dl_engine_emit_text(dl_engine *eng, dl_event_kind kind, const char *text)
{
    if (!eng->observer) return;
    dl_event ev = {.kind = kind, .text = text};
    dl_engine_emit(eng, &ev);
}

uint32_t dl_engine_next_obj_id(dl_engine *eng)
{
    return ++eng->next_obj_id;
}
