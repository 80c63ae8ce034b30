/* test_abuse.c - the engine under abuse: a million Deferreds alive, a
 * million pairs on one Deferred, million-deep waits, deep chainDeferred
 * chains and callbacks that fire other Deferreds recursively.
 *
 * The cases that recurse on the C stack run in a child process, so that a
 * stack overflow is reported as this test failing (with the signal) rather
 * than as the whole test binary dying. The limits are in docs/engine.md
 * ("Limits").
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/deferred.h"

/* The engine's nesting limit (deferred.h); the value docs/engine.md gives,
 * until the engine defines it. */
#ifndef DL_FIRE_DEPTH_MAX
#define DL_FIRE_DEPTH_MAX 1000
#endif

#define MILLION 1000000
#define DEEP    100000 /* far beyond any C stack if each level recursed */

/* ---- a C callback: add k, or fire another Deferred -------------------- */

typedef struct cb {
    int64_t add;
    dl_deferred *fire; /* owned reference, or NULL */
    dl_deferred *ret;  /* owned reference: returned (a Deferred result), or NULL */
} cb;

static int cb_call(void *ud, dl_value arg, dl_value *out)
{
    cb *c = ud;
    if (c->ret) {
        *out = dl_deferred_value(c->ret);
        return 0;
    }
    if (c->fire) {
        int rc = dl_deferred_callback(c->fire, arg);
        if (rc < 0) {
            *out = dl_engine_take_raised(c->fire->eng);
            return DL_ERAISED;
        }
    }
    *out = arg.kind == DL_INT ? dl_int(arg.u.i + c->add) : dl_retain(arg);
    return 0;
}

static void cb_free(void *ud)
{
    cb *c = ud;
    if (c->fire) dl_deferred_release(c->fire);
    if (c->ret) dl_deferred_release(c->ret);
    free(c);
}

static const dl_fn_class cb_class = {cb_call, cb_free, NULL, "abuse"};

static dl_fn mk(int64_t add, dl_deferred *fire, dl_deferred *ret)
{
    cb *c = malloc(sizeof *c);
    assert_non_null(c);
    c->add = add;
    c->fire = fire ? dl_deferred_retain(fire) : NULL;
    c->ret = ret ? dl_deferred_retain(ret) : NULL;
    return dl_fn_make(&cb_class, c);
}

/* Run fn in a child; fail if it dies of a signal or exits non-zero. */
static void in_child(void (*fn)(void), const char *what)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFSIGNALED(st))
        fail_msg("%s: the child died of signal %d (a C stack overflow?)", what, WTERMSIG(st));
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s: the child exited with %d", what, WEXITSTATUS(st));
}

/* In a child, a failed check exits non-zero with a message. */
#define CHILD_CHECK(cond, ...)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            _exit(3);                                                                              \
        }                                                                                          \
    } while (0)

/* ---- a million at once ---------------------------------------------------- */

static void test_million_alive(void **state)
{
    (void)state;
    dl_engine *eng = dl_engine_new();
    assert_non_null(eng);
    dl_deferred **ds = calloc(MILLION, sizeof *ds);
    assert_non_null(ds);
    for (size_t i = 0; i < MILLION; i++) {
        ds[i] = dl_deferred_new(eng, dl_passthru());
        assert_non_null(ds[i]);
        assert_int_equal(dl_deferred_add_callback(ds[i], mk(1, NULL, NULL)), 0);
    }
    assert_int_equal(eng->live, MILLION);
    for (size_t i = 0; i < MILLION; i++)
        assert_int_equal(dl_deferred_callback(ds[i], dl_int((int64_t)i)), 0);
    assert_int_equal(ds[MILLION - 1]->result.u.i, MILLION);
    for (size_t i = 0; i < MILLION; i++)
        dl_deferred_release(ds[i]);
    assert_int_equal(eng->live, 0);
    free(ds);
    dl_engine_free(eng);
}

/* A million Deferreds left unreleased, half of them in waiting cycles:
 * dl_engine_free reclaims them all (ASan/valgrind prove it). */
static void test_million_left_to_engine_free(void **state)
{
    (void)state;
    dl_engine *eng = dl_engine_new();
    assert_non_null(eng);
    for (size_t i = 0; i < MILLION / 2; i++) {
        dl_deferred *a = dl_deferred_new(eng, dl_passthru());
        dl_deferred *b = dl_deferred_new(eng, dl_passthru());
        assert_non_null(a);
        assert_non_null(b);
        dl_deferred_add_callback(a, mk(0, NULL, b)); /* a waits on b ... */
        dl_deferred_add_callback(b, mk(0, NULL, a)); /* ... and b would wait on a */
        dl_deferred_callback(a, dl_int(1));
    }
    assert_int_equal(eng->live, MILLION);
    dl_engine_free(eng);
}

static void test_million_pairs(void **state)
{
    (void)state;
    dl_engine *eng = dl_engine_new();
    dl_deferred *d = dl_deferred_new(eng, dl_passthru());
    assert_non_null(d);
    for (size_t i = 0; i < MILLION; i++)
        assert_int_equal(dl_deferred_add_callback(d, mk(1, NULL, NULL)), 0);
    assert_int_equal(dl_deferred_pending(d), MILLION);
    assert_int_equal(dl_deferred_callback(d, dl_int(0)), 0);
    assert_int_equal(d->result.kind, DL_INT);
    assert_int_equal(d->result.u.i, MILLION);
    assert_int_equal(dl_deferred_pending(d), 0);
    dl_deferred_release(d);
    dl_engine_free(eng);
}

/* ---- a million-deep wait: callbacks returning Deferreds ------------------ */

static dl_deferred **build_waits(dl_engine *eng, size_t n)
{
    /* ds[i]'s callback returns ds[i+1]; firing ds[0..n-2] makes each wait on
     * the next: a million-deep wait. */
    dl_deferred **ds = calloc(n, sizeof *ds);
    assert_non_null(ds);
    for (size_t i = 0; i < n; i++)
        ds[i] = dl_deferred_new(eng, dl_passthru());
    for (size_t i = 0; i + 1 < n; i++) {
        dl_deferred_add_callback(ds[i], mk(0, NULL, ds[i + 1]));
        dl_deferred_add_callback(ds[i], mk(1, NULL, NULL));
    }
    for (size_t i = 0; i + 1 < n; i++)
        assert_int_equal(dl_deferred_callback(ds[i], dl_int(0)), 0);
    return ds;
}

static void test_million_deep_wait_fires(void **state)
{
    (void)state;
    dl_engine *eng = dl_engine_new();
    dl_deferred **ds = build_waits(eng, MILLION);
    assert_ptr_equal(dl_deferred_chained_to(ds[0]), ds[1]);
    /* The innermost fires: the result comes all the way back up, +1 per level. */
    assert_int_equal(dl_deferred_callback(ds[MILLION - 1], dl_int(0)), 0);
    assert_int_equal(ds[0]->result.kind, DL_INT);
    assert_int_equal(ds[0]->result.u.i, MILLION - 1);
    for (size_t i = 0; i < MILLION; i++)
        dl_deferred_release(ds[i]);
    assert_int_equal(eng->live, 0);
    free(ds);
    dl_engine_free(eng);
}

static void test_million_deep_wait_cancel(void **state)
{
    (void)state;
    dl_engine *eng = dl_engine_new();
    dl_deferred **ds = build_waits(eng, MILLION);
    /* cancel() at the top goes down to the innermost, iteratively. */
    assert_int_equal(dl_deferred_cancel(ds[0]), 0);
    assert_true(ds[MILLION - 1]->called);
    assert_true(dl_is_failure(ds[0]->result));
    for (size_t i = 0; i < MILLION; i++)
        dl_deferred_release(ds[i]);
    free(ds);
    dl_engine_free(eng);
}

/* ---- deep chainDeferred, and callbacks firing Deferreds ------------------ */

/* The last Deferred of ds[0..n) that holds a Failure, or NULL. */
static dl_deferred *first_failed(dl_deferred **ds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ds[i]->called && dl_is_failure(ds[i]->result)) return ds[i];
    return NULL;
}

static void chain(size_t n, bool by_callback, size_t *fired, char *msg, size_t msglen)
{
    dl_engine *eng = dl_engine_new();
    dl_deferred **ds = calloc(n, sizeof *ds);
    CHILD_CHECK(eng && ds, "out of memory");
    for (size_t i = 0; i < n; i++)
        ds[i] = dl_deferred_new(eng, dl_passthru());
    for (size_t i = 0; i + 1 < n; i++) {
        if (by_callback)
            dl_deferred_add_callback(ds[i], mk(0, ds[i + 1], NULL));
        else
            dl_deferred_chain(ds[i], ds[i + 1]);
    }
    int rc = dl_deferred_callback(ds[0], dl_int(7));
    CHILD_CHECK(rc == 0, "firing the head returned %d", rc);
    *fired = 0;
    while (*fired < n && ds[*fired]->called)
        (*fired)++;
    msg[0] = '\0';
    dl_deferred *f = first_failed(ds, n);
    if (f) {
        dl_value e = dl_obj_value(DL_EXC, dl_failure_of(f->result)->exc);
        dl_repr(e, msg, msglen);
    }
    for (size_t i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
    free(ds);
    dl_engine_free(eng);
}

static void chain_within_limit(void)
{
    size_t fired;
    char msg[512];
    chain(DL_FIRE_DEPTH_MAX, false, &fired, msg, sizeof msg);
    CHILD_CHECK(fired == DL_FIRE_DEPTH_MAX, "only %zu of %d chained Deferreds fired", fired,
                DL_FIRE_DEPTH_MAX);
    CHILD_CHECK(msg[0] == '\0', "a failure within the limit: %s", msg);
}

static void chain_beyond_limit(void)
{
    size_t fired;
    char msg[512];
    chain(DEEP, false, &fired, msg, sizeof msg);
    CHILD_CHECK(fired < DEEP, "all %d fired: no limit", DEEP);
    CHILD_CHECK(strstr(msg, "levels deep") != NULL, "no clear error past the limit (got \"%s\")",
                msg);
}

static void callbacks_fire_beyond_limit(void)
{
    size_t fired;
    char msg[512];
    chain(DEEP, true, &fired, msg, sizeof msg);
    CHILD_CHECK(fired < DEEP, "all %d fired: no limit", DEEP);
    CHILD_CHECK(strstr(msg, "levels deep") != NULL, "no clear error past the limit (got \"%s\")",
                msg);
}

static void test_chain_deferred_within_limit(void **state)
{
    (void)state;
    in_child(chain_within_limit, "a chainDeferred chain of DL_FIRE_DEPTH_MAX links");
}

static void test_chain_deferred_beyond_limit(void **state)
{
    (void)state;
    in_child(chain_beyond_limit, "a chainDeferred chain of 100000 links");
}

static void test_callbacks_firing_recursively(void **state)
{
    (void)state;
    in_child(callbacks_fire_beyond_limit, "100000 callbacks each firing the next Deferred");
}

/* A long chain never fired, released head first: each release frees the
 * next link. */
static void unfired_chain_released(void)
{
    dl_engine *eng = dl_engine_new();
    dl_deferred **ds = calloc(DEEP, sizeof *ds);
    CHILD_CHECK(eng && ds, "out of memory");
    for (size_t i = 0; i < DEEP; i++)
        ds[i] = dl_deferred_new(eng, dl_passthru());
    for (size_t i = 0; i + 1 < DEEP; i++)
        dl_deferred_chain(ds[i], ds[i + 1]);
    for (size_t i = DEEP; i-- > 1;)
        dl_deferred_release(ds[i]); /* only ds[0] holds them now */
    dl_deferred_release(ds[0]);
    CHILD_CHECK(eng->live == 0, "%zu Deferreds left", eng->live);
    free(ds);
    dl_engine_free(eng);
}

static void test_unfired_chain_released(void **state)
{
    (void)state;
    in_child(unfired_chain_released, "releasing an unfired 100000-link chain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_million_alive),
        cmocka_unit_test(test_million_left_to_engine_free),
        cmocka_unit_test(test_million_pairs),
        cmocka_unit_test(test_million_deep_wait_fires),
        cmocka_unit_test(test_million_deep_wait_cancel),
        cmocka_unit_test(test_chain_deferred_within_limit),
        cmocka_unit_test(test_chain_deferred_beyond_limit),
        cmocka_unit_test(test_callbacks_firing_recursively),
        cmocka_unit_test(test_unfired_chain_released),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
