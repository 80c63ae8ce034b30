/* failure.c - exception types, exceptions, Failures. */
#include "failure.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- types ------------------------------------------------------------ */

static void errtype_destroy(dl_obj *o)
{
    dl_errtype *t = (dl_errtype *)o;
    dl_obj_release(t->base);
    free(t->name);
    free(t);
}

static int errtype_repr(const dl_obj *o, char *buf, size_t n)
{
    return snprintf(buf, n, "%s", ((const dl_errtype *)o)->name);
}

static const dl_class errtype_class = {"ErrorType", errtype_destroy, errtype_repr};

/* Built-ins are immortal statics: their refcount never moves. */
#define DL_DEFINE_TYPE(tname, tbase)                                                               \
    dl_errtype dl_type_##tname = {{DL_IMMORTAL, 0, &errtype_class}, tbase, (char *)#tname};
DL_BUILTIN_TYPES(DL_DEFINE_TYPE)
#undef DL_DEFINE_TYPE

static dl_errtype *const builtins[] = {
#define DL_LIST_TYPE(tname, tbase) &dl_type_##tname,
    DL_BUILTIN_TYPES(DL_LIST_TYPE)
#undef DL_LIST_TYPE
};

dl_errtype *dl_errtype_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i]->name, name) == 0) return builtins[i];
    return NULL;
}

void dl_errtype_each_builtin(void (*fn)(dl_errtype *t, void *ud), void *ud)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        fn(builtins[i], ud);
}

dl_errtype *dl_errtype_new(const char *name, dl_errtype *base)
{
    dl_errtype *t = malloc(sizeof *t);
    if (!t) return NULL;
    t->name = strdup(name);
    if (!t->name) {
        free(t);
        return NULL;
    }
    dl_obj_init(&t->hdr, &errtype_class);
    t->base = base ? base : &dl_type_Exception;
    dl_obj_retain(t->base);
    return t;
}

bool dl_errtype_is(const dl_errtype *t, const dl_errtype *sub)
{
    for (; t; t = t->base)
        if (t == sub) return true;
    return false;
}

/* ---- exceptions ------------------------------------------------------- */

static void exception_destroy(dl_obj *o)
{
    dl_exception *e = (dl_exception *)o;
    dl_obj_release(e->type);
    dl_release(e->args);
    dl_release(e->extra);
    free(e->message);
    free(e);
}

int dl_exception_str(const dl_exception *e, char *buf, size_t n)
{
    if (e->message[0]) return snprintf(buf, n, "%s: %s", e->type->name, e->message);
    return snprintf(buf, n, "%s", e->type->name);
}

static int exception_repr(const dl_obj *o, char *buf, size_t n)
{
    return dl_exception_str((const dl_exception *)o, buf, n);
}

static const dl_class exception_class = {"exception", exception_destroy, exception_repr};

dl_exception *dl_exception_new(dl_errtype *type, const char *message, dl_value args)
{
    dl_exception *e = malloc(sizeof *e);
    if (!e) goto oom;
    e->message = strdup(message ? message : "");
    if (!e->message) goto oom;
    dl_obj_init(&e->hdr, &exception_class);
    e->type = type;
    dl_obj_retain(type);
    e->extra = dl_none();
    if (args.kind == DL_LIST) {
        e->args = args;
    } else {
        e->args = dl_list_new(1);
        if (e->args.kind != DL_LIST) {
            e->args = dl_none();
        } else if (e->message[0]) {
            dl_list_push(e->args, dl_cstr(e->message));
        }
    }
    return e;
oom:
    free(e);
    dl_release(args);
    return NULL;
}

static dl_exception *exception_vnewf(dl_errtype *type, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static dl_exception *exception_vnewf(dl_errtype *type, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return dl_exception_new(type, msg, dl_none());
}

dl_exception *dl_exception_newf(dl_errtype *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dl_exception *e = exception_vnewf(type, fmt, ap);
    va_end(ap);
    return e;
}

/* ---- failures --------------------------------------------------------- */

static void failure_destroy(dl_obj *o)
{
    dl_failure *f = (dl_failure *)o;
    dl_obj_release(f->exc);
    free(f->where);
    free(f);
}

static int failure_repr(const dl_obj *o, char *buf, size_t n)
{
    char inner[400];
    dl_exception_str(((const dl_failure *)o)->exc, inner, sizeof inner);
    return snprintf(buf, n, "Failure(%s)", inner);
}

static const dl_class failure_class = {"Failure", failure_destroy, failure_repr};

dl_failure *dl_failure_new(dl_exception *exc, const char *where)
{
    dl_failure *f = malloc(sizeof *f);
    if (!f) return NULL;
    f->where = NULL;
    if (where) {
        f->where = strdup(where);
        if (!f->where) {
            free(f);
            return NULL;
        }
    }
    dl_obj_init(&f->hdr, &failure_class);
    f->exc = exc;
    dl_obj_retain(exc);
    return f;
}

dl_value dl_fail_value(dl_errtype *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dl_exception *e = exception_vnewf(type, fmt, ap);
    va_end(ap);
    if (!e) return dl_none();
    dl_failure *f = dl_failure_new(e, NULL);
    dl_obj_release(e);
    return f ? dl_obj_value(DL_FAILURE, f) : dl_none();
}

dl_value dl_as_failure(dl_value v)
{
    if (v.kind == DL_FAILURE) return dl_retain(v);
    if (v.kind == DL_EXC) {
        dl_failure *f = dl_failure_new((dl_exception *)v.u.o, NULL);
        return f ? dl_obj_value(DL_FAILURE, f) : dl_none();
    }
    return dl_none();
}

dl_errtype *dl_failure_type(dl_value v)
{
    dl_failure *f = dl_failure_of(v);
    return f ? f->exc->type : NULL;
}

bool dl_failure_check(dl_value v, const dl_errtype *t)
{
    dl_errtype *ft = dl_failure_type(v);
    return ft && dl_errtype_is(ft, t);
}
