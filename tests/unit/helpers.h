/* helpers.h - scripted callbacks and an event recorder for engine tests.
 *
 * Callbacks append "name(input)" to a global log, then do what they were
 * built to do. Tests compare the log with the exact sequence the reference
 * (shared/reference/twisted-semantics.md) records for Twisted.
 */
#ifndef DL_TEST_HELPERS_H
#define DL_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/deferred.h"

extern dl_engine *E;       /* fresh per test (setup/teardown below) */
extern char LOG[16384];    /* what callbacks saw, "name(input) " each */
extern char EVENTS[65536]; /* recorded events, one per line, when recording */

int setup_engine(void **state);
int teardown_engine(void **state);
/* Start recording events into EVENTS ("kind d=<id> ..." lines). */
void record_events(void);

/* Append formatted text to LOG. */
void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* repr of v into a static rotating buffer. */
const char *R(dl_value v);

/* Callbacks. Each logs "name(repr-of-input) " first. */
dl_fn cb_log(const char *name);                                   /* returns its input */
dl_fn cb_ret(const char *name, dl_value v);                       /* returns v (retains it) */
dl_fn cb_raise(const char *name, dl_errtype *t, const char *msg); /* raises t(msg) */
dl_fn cb_defer(const char *name, dl_deferred *d);                 /* returns d (retained) */
typedef dl_value (*custom_fn)(dl_value in, void *ud);
dl_fn cb_custom(const char *name, custom_fn fn, void *ud); /* logs, then fn(in, ud) */

/* A canceller that logs "name(<d>) " and then does nothing / fires / raises. */
dl_fn canceller_log(const char *name);
dl_fn canceller_callback(const char *name, dl_value v); /* retains v */
dl_fn canceller_errback(const char *name, dl_errtype *t, const char *msg);
dl_fn canceller_raise(const char *name, dl_errtype *t, const char *msg);

/* New Deferred labelled name (so reprs read "d1"). */
dl_deferred *D(const char *name);
/* Values owned by a per-test pool (released at teardown): borrow them freely. */
dl_value S(const char *s);                  /* a string */
dl_value F(dl_errtype *t, const char *msg); /* a Failure(t(msg)) */
dl_value I(int64_t i);

/* Assertions on a Deferred's state. */
void assert_result(dl_deferred *d, const char *repr);
void assert_log(const char *expected);
void clear_log(void);

#endif
