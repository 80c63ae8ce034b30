/* test_bigmem.c - large blocks on huge pages (engine/bigmem.h). */
#include "helpers.h"

#include <stdint.h>
#include <string.h>

#include "engine/bigmem.h"

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

static void rounding(void **state)
{
    (void)state;
    assert_int_equal(dl_big_round(0), DL_BIG_ALIGN);
    assert_int_equal(dl_big_round(1), DL_BIG_ALIGN);
    assert_int_equal(dl_big_round(DL_BIG_ALIGN), DL_BIG_ALIGN);
    assert_int_equal(dl_big_round(DL_BIG_ALIGN + 1), 2 * DL_BIG_ALIGN);
}

static void alloc_is_aligned_and_zero(void **state)
{
    (void)state;
    unsigned char *p = dl_big_alloc(100);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % DL_BIG_ALIGN, 0);
    /* The whole rounded size is usable. */
    assert_true(all_zero(p, DL_BIG_ALIGN));
    memset(p, 0xab, DL_BIG_ALIGN);
    dl_big_free(p, 100);
    dl_big_free(NULL, 0);
}

static void grow_keeps_contents_and_zeroes_the_rest(void **state)
{
    (void)state;
    size_t n = DL_BIG_ALIGN + 10;
    unsigned char *p = dl_big_alloc(n);
    assert_non_null(p);
    for (size_t i = 0; i < dl_big_round(n); i++)
        p[i] = (unsigned char)(i * 7);
    unsigned char *q = dl_big_grow(p, n, 5 * DL_BIG_ALIGN);
    assert_non_null(q);
    for (size_t i = 0; i < dl_big_round(n); i++)
        assert_int_equal(q[i], (unsigned char)(i * 7));
    assert_true(all_zero(q + dl_big_round(n), 5 * DL_BIG_ALIGN - dl_big_round(n)));
    /* Growing within the rounded size keeps the block. */
    assert_ptr_equal(dl_big_grow(q, 5 * DL_BIG_ALIGN, 5 * DL_BIG_ALIGN - 1), q);
    dl_big_free(q, 5 * DL_BIG_ALIGN);
    /* A first block through grow. */
    unsigned char *r = dl_big_grow(NULL, 0, 3);
    assert_non_null(r);
    assert_true(all_zero(r, DL_BIG_ALIGN));
    dl_big_free(r, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rounding),
        cmocka_unit_test(alloc_is_aligned_and_zero),
        cmocka_unit_test(grow_keeps_contents_and_zeroes_the_rest),
    };
    return cmocka_run_group_tests_name("bigmem", tests, NULL, NULL);
}
