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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(chain_runs, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("smoke", tests, NULL, NULL);
}
