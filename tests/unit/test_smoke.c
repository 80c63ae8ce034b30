/* test_smoke.c - the build links and the simplest chain runs. */
#include "helpers.h"

static void chain_runs(void **state)
{
    (void)state;
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_ret("double", I(10)));
    dl_deferred_add_callback(d, cb_log("show"));
    dl_value v = I(5);
    assert_int_equal(dl_deferred_callback(d, v), 0);
    assert_log("double(5) show(10)");
    assert_result(d, "10");
    dl_deferred_release(d);
}

/* dl_engine.listen: kinds left out are never delivered (nor numbered), and
 * leaving them out changes nothing the chain does. */
static dl_event_kind seen_kinds[64];
static uint64_t seen_seqs[64];
static size_t nseen;
static void count_kinds(void *ud, const dl_event *ev)
{
    (void)ud;
    if (nseen < 64) {
        seen_kinds[nseen] = ev->kind;
        seen_seqs[nseen++] = ev->seq;
    }
}

static void listen_mask_filters_kinds(void **state)
{
    (void)state;
    nseen = 0;
    assert_int_equal(E->listen, 0); /* no observer, nothing heard */
    dl_engine_observe(E, count_kinds, NULL);
    assert_int_equal(E->listen, DL_EV_ALL);
    E->listen = DL_EV_BIT(DL_EV_UNHANDLED) | DL_EV_BIT(DL_EV_FIRED);
    assert_true(dl_engine_observed(E));
    assert_false(dl_engine_wants(E, DL_EV_CALL));
    assert_true(dl_engine_wants(E, DL_EV_FIRED));
    dl_deferred *d = D("d");
    dl_deferred_add_callback(d, cb_ret("double", I(10)));
    dl_deferred_add_callback(d, cb_raise("boom", &dl_type_ValueError, "bad"));
    assert_int_equal(dl_deferred_callback(d, I(5)), 0);
    assert_log("double(5) boom(10)");
    dl_deferred_release(d); /* the failure is unhandled: reported on release */
    assert_int_equal(nseen, 2);
    assert_int_equal(seen_kinds[0], DL_EV_FIRED);
    assert_int_equal(seen_kinds[1], DL_EV_UNHANDLED);
    assert_int_equal(seen_seqs[0], 0);
    assert_int_equal(seen_seqs[1], 1);

    /* Nothing wanted: as good as no observer. */
    E->listen = 0;
    assert_false(dl_engine_observed(E));
    dl_engine_observe(E, NULL, NULL);
    assert_int_equal(E->listen, 0);
    nseen = 0;
    dl_deferred *d2 = D("d2");
    dl_deferred_add_callback(d2, cb_log("show"));
    assert_int_equal(dl_deferred_callback(d2, I(1)), 0);
    dl_deferred_release(d2);
    assert_int_equal(nseen, 0);
    assert_log("show(1)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(chain_runs, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(listen_mask_filters_kinds, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("smoke", tests, NULL, NULL);
}
