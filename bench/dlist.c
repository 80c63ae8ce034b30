/* dlist.c - DeferredList over N unfired inputs.
 *
 * Timed: creating the inputs, DeferredList(inputs), firing every input, and
 * the list firing with N {true, value} results. Twin: bench/twisted/dlist.py.
 */
#include "bench.h"
#include "engine/dlist.h"

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 1000000);
    dl_engine *eng = dl_engine_new();
    BENCH_CHECK(eng);
    dl_deferred **ds = malloc((size_t)n * sizeof *ds);
    BENCH_CHECK(ds);
    double t0 = bench_now();
    for (long i = 0; i < n; i++)
        ds[i] = dl_deferred_new(eng, dl_passthru());
    dl_deferred *dl = dl_deferred_list_new(eng, ds, (size_t)n, 0);
    BENCH_CHECK(dl);
    for (long i = 0; i < n; i++)
        dl_deferred_callback(ds[i], dl_int(i));
    double t1 = bench_now();
    BENCH_CHECK(dl->called && dl->result.kind == DL_LIST && dl_list_len(dl->result) == (size_t)n);
    dl_value last = dl_list_get(dl->result, (size_t)n - 1);
    BENCH_CHECK(dl_list_get(last, 1).u.i == n - 1);
    for (long i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
    dl_deferred_release(dl);
    BENCH_CHECK(eng->live == 0);
    free(ds);
    dl_engine_free(eng);
    printf("bench=dlist impl=c ops=%ld seconds=%.6f\n", n, t1 - t0);
    return 0;
}
