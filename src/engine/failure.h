/* failure.h - exception types, exceptions and Failures.
 *
 * Three objects, as in Twisted:
 *   dl_errtype   an exception class with a single base (ValueError -> Exception)
 *   dl_exception an exception instance: type, message, args
 *   dl_failure   what travels down the errback track: wraps one exception and
 *                remembers where it was raised. trap() re-raising makes a new
 *                Failure around the *same* exception object.
 *
 * The built-in types are immortal statics (DL_T_ValueError ...). Host code may
 * create more with dl_errtype_new.
 */
#ifndef DL_FAILURE_H
#define DL_FAILURE_H

#include "value.h"

typedef struct dl_errtype {
    dl_obj hdr;
    struct dl_errtype *base; /* NULL only for Exception (the root) */
    char *name;
} dl_errtype;

/* X(name, base) -- base must come earlier in the list. */
#define DL_BUILTIN_TYPES(X)                                                                        \
    X(Exception, NULL)                                                                             \
    X(ValueError, &dl_type_Exception)                                                              \
    X(KeyError, &dl_type_Exception)                                                                \
    X(TypeError, &dl_type_Exception)                                                               \
    X(RuntimeError, &dl_type_Exception)                                                            \
    X(ZeroDivisionError, &dl_type_Exception)                                                       \
    X(AssertionError, &dl_type_Exception)                                                          \
    X(CancelledError, &dl_type_Exception)                                                          \
    X(AlreadyCalledError, &dl_type_Exception)                                                      \
    X(TimeoutError, &dl_type_Exception)                                                            \
    X(FirstError, &dl_type_Exception)                                                              \
    X(FailureGroup, &dl_type_Exception)                                                            \
    X(QueueOverflow, &dl_type_Exception)                                                           \
    X(QueueUnderflow, &dl_type_Exception)                                                          \
    X(AlreadyCancelled, &dl_type_Exception)                                                        \
    X(AlreadyCalled, &dl_type_Exception)                                                           \
    X(ParallelCommandException, &dl_type_Exception)                                                \
    X(QueueStopped, &dl_type_Exception)

#define DL_DECLARE_TYPE(name, base) extern dl_errtype dl_type_##name;
DL_BUILTIN_TYPES(DL_DECLARE_TYPE)
#undef DL_DECLARE_TYPE

/* Look a built-in type up by name; NULL if there is none. */
dl_errtype *dl_errtype_builtin(const char *name);
/* Call fn for every built-in type, in table order. */
void dl_errtype_each_builtin(void (*fn)(dl_errtype *t, void *ud), void *ud);

/* New exception type deriving from base (NULL means Exception). Returns a new
 * reference, or NULL on OOM. */
dl_errtype *dl_errtype_new(const char *name, dl_errtype *base);
/* True when t is sub (or derives from it). */
bool dl_errtype_is(const dl_errtype *t, const dl_errtype *sub);

typedef struct dl_exception {
    dl_obj hdr;
    dl_errtype *type; /* owned reference */
    char *message;    /* never NULL; "" when empty */
    dl_value args;    /* DL_LIST (owned); like Python's e.args */
    dl_value extra;   /* host payload (DL_NONE, or a host value) */
} dl_exception;

/* New exception. message may be NULL (empty). Takes ownership of args, which
 * must be a DL_LIST or DL_NONE (meaning: (message,) or () when empty).
 * Returns a new reference or NULL on OOM. */
dl_exception *dl_exception_new(dl_errtype *type, const char *message, dl_value args);
/* printf-style convenience with args = (message,) or () when fmt is "". */
dl_exception *dl_exception_newf(dl_errtype *type, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

typedef struct dl_failure {
    dl_obj hdr;
    dl_exception *exc; /* owned reference */
    char *where;       /* "file:line" where raised, or NULL */
} dl_failure;

/* A new Failure wrapping exc (retained). where may be NULL. */
dl_failure *dl_failure_new(dl_exception *exc, const char *where);
/* Shortcut: Failure(type(message)). Returns a DL_FAILURE value (new ref). */
dl_value dl_fail_value(dl_errtype *type, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Wrap v as a failure value: a failure is retained and returned, an exception
 * gets a new Failure. Anything else yields DL_NONE. */
dl_value dl_as_failure(dl_value v);

/* Accessors. */
static inline dl_failure *dl_failure_of(dl_value v)
{
    return v.kind == DL_FAILURE ? (dl_failure *)v.u.o : NULL;
}
static inline dl_exception *dl_exception_of(dl_value v)
{
    return v.kind == DL_EXC ? (dl_exception *)v.u.o : NULL;
}
/* The exception type of a failure value (NULL if v is not a failure). */
dl_errtype *dl_failure_type(dl_value v);
/* Does the failure's exception derive from t? */
bool dl_failure_check(dl_value v, const dl_errtype *t);

/* "ValueError: bad" (or "ValueError" when the message is empty). */
int dl_exception_str(const dl_exception *e, char *buf, size_t n);

#endif
