/* error.h - the engine's error codes, from one table (libuv style).
 *
 * Engine functions that can fail return 0 or a negative DL_E* code. Whenever
 * a code is returned, the engine has also stored a Failure describing it in
 * the engine's "raised" slot (see dl_engine_take_raised), so a host language
 * can raise it as an exception with the exact type Twisted would raise.
 *
 * A function that takes a callback and returns an error never calls the
 * callback.
 */
#ifndef DL_ERROR_H
#define DL_ERROR_H

/* X(name, number, message) */
#define DL_ERRNO_MAP(X)                                                                            \
    X(RAISED, -1, "a user function raised an exception")                                           \
    X(ALREADYCALLED, -2, "the Deferred has already been called")                                   \
    X(ASSERTION, -3, "assertion failed")                                                           \
    X(NOTCALLABLE, -4, "a callback must be callable")                                              \
    X(INVAL, -5, "invalid argument")                                                               \
    X(NOMEM, -6, "out of memory")                                                                  \
    X(QUEUEOVERFLOW, -7, "the queue is full")                                                      \
    X(QUEUEUNDERFLOW, -8, "too many getters are waiting")                                          \
    X(DCCANCELLED, -9, "the delayed call was already cancelled")                                   \
    X(DCCALLED, -10, "the delayed call has already run")                                           \
    X(TYPE, -11, "wrong type")                                                                     \
    X(VALUE, -12, "bad value")                                                                     \
    X(REFUSED, -13, "refused under the current chain semantics")                                   \
    X(RUNTIME, -14, "runtime error")

typedef enum {
#define DL_ERR_ENUM(name, num, msg) DL_E##name = num,
    DL_ERRNO_MAP(DL_ERR_ENUM)
#undef DL_ERR_ENUM
} dl_errno;

/* "DL_EALREADYCALLED" for DL_EALREADYCALLED; "unknown error" for anything else. */
const char *dl_err_name(int err);
/* The human message for an error code. */
const char *dl_strerror(int err);

#endif
