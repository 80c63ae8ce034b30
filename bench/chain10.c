/* chain10.c - callback throughput through 10-callback chains.
 *
 * N times: a new Deferred, ten addCallback(inc) (each a dl_fn_c closure, as a
 * C user writes them), callback(0), check the result is 10, release. ops is
 * the number of callbacks run. Twin: bench/twisted/chain10.py.
 */
#include "bench.h"
#include "engine/deferred.h"

static dl_value inc(dl_value v, void *ud)
{
    (void)ud;
    return dl_int(v.u.i + 1);
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 300000);
    dl_engine *eng = dl_engine_new();
    BENCH_CHECK(eng);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        dl_deferred *d = dl_deferred_new(eng, dl_passthru());
        for (int k = 0; k < 10; k++)
            dl_deferred_add_callback(d, dl_fn_c(inc, NULL, "inc"));
        dl_deferred_callback(d, dl_int(0));
        BENCH_CHECK(d->result.kind == DL_INT && d->result.u.i == 10);
        dl_deferred_release(d);
    }
    double t1 = bench_now();
    BENCH_CHECK(eng->live == 0);
    dl_engine_free(eng);
    printf("bench=chain10 impl=c ops=%ld seconds=%.6f\n", n * 10, t1 - t0);
    return 0;
}
