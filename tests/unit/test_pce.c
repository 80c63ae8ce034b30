/* test_pce.c - DeferredParallelCommandExecutor (txdpce), with the seed
 * blog's avatar lookup: cache, filesystem and network race; the first
 * success wins, the others are cancelled, and the network fills the cache. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#include "engine/ddict.h"
#include "engine/pce.h"
#include "engine/task.h"

static const char *raised(void)
{
    static char buf[256];
    dl_value f = dl_engine_take_raised(E);
    snprintf(buf, sizeof buf, "%s", R(f));
    dl_release(f);
    return buf;
}

static dl_clock *clock_;

static dl_value stamp(dl_value in, void *ud)
{
    logf_("%s@%g ", (const char *)ud, dl_clock_seconds(clock_));
    return dl_retain(in);
}

/* A function that answers `v` (or fails, when v is a failure) after `after`
 * seconds (after < 0: at once). */
typedef struct later {
    const char *name;
    double after;
    dl_value v;
} later;

static dl_value answer(dl_value in, void *ud)
{
    (void)in;
    return dl_retain(((later *)ud)->v);
}

static dl_value later_fn(dl_value arg, void *ud)
{
    later *l = ud;
    logf_("%s(%s)@%g ", l->name, R(arg), dl_clock_seconds(clock_));
    if (l->after < 0) return dl_retain(l->v);
    dl_deferred *d =
        dl_defer_later(dl_clock_reactor(clock_), l->after, dl_fn_c(answer, l, l->name), dl_none());
    return dl_obj_value(DL_DEFERRED, d);
}

static void first_success_wins_others_cancelled(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    dl_pce *x = dl_pce_new(E);
    later f1 = {"f1", -1, F(&dl_type_ValueError, "f1 failed")};
    later f2 = {"f2", 2, S("slow")};
    later f3 = {"f3", 1, S("fast")};
    dl_pce_register(x, dl_fn_c(later_fn, &f1, "f1"));
    dl_pce_register(x, dl_fn_c(later_fn, &f2, "f2"));
    dl_pce_register(x, dl_fn_c(later_fn, &f3, "f3"));
    dl_deferred *d = NULL;
    assert_int_equal(dl_pce_execute(x, S("arg"), &d), 0);
    assert_log("f1(\"arg\")@0 f2(\"arg\")@0 f3(\"arg\")@0"); /* all at once */
    dl_deferred_add_callback(d, dl_fn_c(stamp, "won", "stamp"));
    size_t n;
    dl_clock_calls(clock_, &n);
    assert_int_equal(n, 2);
    assert_int_equal(dl_pce_running(x), 1);
    assert_int_equal(dl_clock_advance(clock_, 1), 0);
    assert_log("won@1");
    assert_result(d, "\"fast\"");
    dl_clock_calls(clock_, &n);
    assert_int_equal(n, 0); /* f2 was cancelled: its call is gone */
    assert_int_equal(dl_pce_running(x), 0);
    assert_int_equal(dl_clock_advance(clock_, 5), 0);
    assert_result(d, "\"fast\"");
    dl_deferred_release(d);

    /* A synchronous success wins inside execute(). */
    f1.v = S("cached");
    assert_int_equal(dl_pce_execute(x, S("again"), &d), 0);
    assert_result(d, "\"cached\"");
    dl_clock_calls(clock_, &n);
    assert_int_equal(n, 0);
    dl_deferred_release(d);
    dl_obj_release(x);
    dl_obj_release(clock_);
    assert_int_equal(E->unhandled_reported, 0);
}

static void all_fail_and_none_registered(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    dl_pce *x = dl_pce_new(E);
    dl_deferred *d = NULL;
    assert_int_equal(dl_pce_execute(x, dl_none(), &d), DL_EVALUE);
    assert_null(d);
    assert_string_equal(raised(),
                        "Failure(ValueError: No execution functions have been registered.)");

    later f1 = {"f1", 1, F(&dl_type_KeyError, "one")};
    later f2 = {"f2", -1, F(&dl_type_ValueError, "two")};
    dl_pce_register(x, dl_fn_c(later_fn, &f1, "f1"));
    dl_pce_register(x, dl_fn_c(later_fn, &f2, "f2"));
    assert_int_equal(dl_pce_execute(x, I(1), &d), 0);
    assert_false(d->called);
    dl_clock_advance(clock_, 1);
    assert_true(dl_failure_check(d->result, &dl_type_ParallelCommandException));
    dl_exception *e = dl_failure_of(d->result)->exc;
    assert_int_equal(dl_list_len(e->args), 1);
    /* failures in registration order, not in failing order */
    assert_string_equal(R(dl_list_get(e->args, 0)),
                        "{Failure(KeyError: one), Failure(ValueError: two)}");
    assert_string_equal(e->message, "{Failure(KeyError: one), Failure(ValueError: two)}");
    dl_deferred_add_errback(d, cb_ret("eat", dl_none()));
    dl_deferred_release(d);
    dl_obj_release(x);
    dl_obj_release(clock_);
    assert_int_equal(E->unhandled_reported, 0);
}

/* ---- the avatar lookup ---------------------------------------------------- */

typedef struct avatars {
    dl_ddict *cache;
} avatars;

static dl_value from_cache(dl_value user, void *ud)
{
    avatars *a = ud;
    logf_("cache(%s)@%g ", R(user), dl_clock_seconds(clock_));
    if (!dl_ddict_has(a->cache, user))
        return dl_fail_value(&dl_type_KeyError, "%s", dl_str_cstr(user));
    dl_deferred *d = NULL;
    dl_ddict_get(a->cache, user, &d);
    return dl_obj_value(DL_DEFERRED, d);
}

static dl_value no_file(dl_value in, void *ud)
{
    (void)in;
    (void)ud;
    return dl_fail_value(&dl_type_RuntimeError, "no such file");
}

static dl_value from_filesystem(dl_value user, void *ud)
{
    (void)ud;
    logf_("filesystem(%s)@%g ", R(user), dl_clock_seconds(clock_));
    dl_deferred *d = dl_defer_later(dl_clock_reactor(clock_), 0.5,
                                    dl_fn_c(no_file, NULL, "readAvatar"), dl_none());
    return dl_obj_value(DL_DEFERRED, d);
}

static dl_value gravatar(dl_value user, void *ud)
{
    (void)ud;
    char buf[64];
    snprintf(buf, sizeof buf, "png-of-%s", dl_str_cstr(user));
    return dl_cstr(buf);
}

typedef struct fill {
    avatars *a;
    dl_value user;
} fill;

/* The network result fills the cache on its way through. */
static dl_value fill_cache(dl_value png, void *ud)
{
    fill *f = ud;
    logf_("fill(%s)@%g ", R(png), dl_clock_seconds(clock_));
    dl_ddict_set(f->a->cache, f->user, png);
    return dl_retain(png);
}

static fill fills[4];
static size_t nfills;

static dl_value from_network(dl_value user, void *ud)
{
    logf_("network(%s)@%g ", R(user), dl_clock_seconds(clock_));
    dl_deferred *d =
        dl_defer_later(dl_clock_reactor(clock_), 2, dl_fn_c(gravatar, NULL, "gravatar"), user);
    fill *f = &fills[nfills++];
    f->a = ud;
    f->user = user;
    dl_deferred_add_callback(d, dl_fn_c(fill_cache, f, "fillCache"));
    return dl_obj_value(DL_DEFERRED, d);
}

static void avatar_lookup(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    avatars a = {dl_ddict_new(E)};
    nfills = 0;
    dl_pce *x = dl_pce_new(E);
    dl_pce_register(x, dl_fn_c(from_cache, &a, "cache"));
    dl_pce_register(x, dl_fn_c(from_filesystem, &a, "filesystem"));
    dl_pce_register(x, dl_fn_c(from_network, &a, "network"));

    /* First lookup: cache misses, the file is missing, Gravatar answers. */
    dl_deferred *d = NULL;
    assert_int_equal(dl_pce_execute(x, S("terry"), &d), 0);
    dl_deferred_add_callback(d, dl_fn_c(stamp, "avatar", "stamp"));
    assert_log("cache(\"terry\")@0 filesystem(\"terry\")@0 network(\"terry\")@0");
    dl_clock_advance(clock_, 0.5);
    assert_false(d->called); /* errors do not end it */
    dl_clock_advance(clock_, 1.5);
    assert_log("fill(\"png-of-terry\")@2 avatar@2");
    assert_result(d, "\"png-of-terry\"");
    assert_string_equal(R(dl_ddict_lookup(a.cache, S("terry"))), "\"png-of-terry\"");
    dl_deferred_release(d);

    /* Second lookup: the cache answers at once; the others are cancelled. */
    assert_int_equal(dl_pce_execute(x, S("terry"), &d), 0);
    assert_log("cache(\"terry\")@2 filesystem(\"terry\")@2 network(\"terry\")@2");
    assert_result(d, "\"png-of-terry\"");
    size_t n;
    dl_clock_calls(clock_, &n);
    assert_int_equal(n, 0); /* filesystem's and network's calls were cancelled */
    dl_clock_advance(clock_, 10);
    assert_log(""); /* and the cancelled network lookup does not fill again */
    dl_deferred_release(d);
    dl_obj_release(x);
    dl_obj_release(a.cache);
    dl_obj_release(clock_);
    assert_int_equal(E->unhandled_reported, 0);
}

static void pce_state_events(void **state)
{
    (void)state;
    clock_ = dl_clock_new(E);
    record_events();
    dl_pce *x = dl_pce_new(E);
    later f1 = {"f1", 3, S("one")};
    later f2 = {"f2", 1, S("two")};
    dl_pce_register(x, dl_fn_c(later_fn, &f1, "f1"));
    dl_pce_register(x, dl_fn_c(later_fn, &f2, "f2"));
    dl_deferred *d = NULL;
    dl_pce_execute(x, dl_none(), &d);
    dl_clock_advance(clock_, 1);
    const char *expect[] = {
        "state d=2 DeferredParallelCommandExecutor {{\"functions\", {}}, {\"running\", 0}, "
        "{\"winner\", nil}, {\"cancelled\", {}}}",
        "state d=2 DeferredParallelCommandExecutor {{\"functions\", {\"f1\"}}, {\"running\", 0}, "
        "{\"winner\", nil}, {\"cancelled\", {}}}",
        "state d=2 DeferredParallelCommandExecutor {{\"functions\", {\"f1\", \"f2\"}}, "
        "{\"running\", 0}, {\"winner\", nil}, {\"cancelled\", {}}}",
        "state d=2 DeferredParallelCommandExecutor {{\"functions\", {\"f1\", \"f2\"}}, "
        "{\"running\", 1}, {\"winner\", nil}, {\"cancelled\", {}}}",
        "state d=2 DeferredParallelCommandExecutor {{\"functions\", {\"f1\", \"f2\"}}, "
        "{\"running\", 0}, {\"winner\", 1}, {\"cancelled\", {0}}}",
    };
    const char *at = EVENTS;
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        at = strstr(at, expect[i]);
        assert_non_null(at);
        at += strlen(expect[i]);
    }
    /* the state is reported before the losers are cancelled */
    assert_non_null(strstr(at, "cancel d="));
    assert_null(strstr(at, "DeferredParallelCommandExecutor"));
    assert_result(d, "\"two\"");
    dl_value v = dl_pce_value(x);
    assert_ptr_equal(dl_pce_of(v), x);
    assert_int_equal(dl_pce_functions(x), 2);
    assert_string_equal(R(v), "<DeferredParallelCommandExecutor #2 functions=2>");
    dl_release(v);
    dl_deferred_release(d);
    dl_obj_release(x);
    dl_obj_release(clock_);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_success_wins_others_cancelled, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(all_fail_and_none_registered, setup_engine,
                                        teardown_engine),
        cmocka_unit_test_setup_teardown(avatar_lookup, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(pce_state_events, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("pce", tests, NULL, NULL);
}
