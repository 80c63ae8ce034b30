/* deep.c - a chain of N returned Deferreds (reference 2.5).
 *
 * ds[i]'s callback returns ds[i+1]; fire ds[0..N-2] (each then waits), then
 * the leaf. Timed: building, waiting and the final unwinding. The outermost
 * callback records the C stack position; it is compared with the same probe
 * on a chain of 2 (stack_growth=0 bytes means a flat C stack).
 * Twin: bench/twisted/deep.py.
 */
#include <stdint.h>

#include "bench.h"
#include "engine/deferred.h"

static uintptr_t probe;

static dl_value probe_stack(dl_value v, void *ud)
{
    (void)ud;
    volatile char here = 0;
    probe = (uintptr_t)&here;
    return dl_retain(v);
}

/* The callback of ds[i]: return ds[i+1] (ud, borrowed). No allocation. */
static int next_call(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    *out = dl_deferred_value(ud);
    return 0;
}

static const dl_fn_class next_class = {next_call, NULL, NULL, "next"};

static double run(long n, uintptr_t *stack)
{
    dl_engine *eng = dl_engine_new();
    BENCH_CHECK(eng);
    dl_deferred **ds = malloc((size_t)n * sizeof *ds);
    BENCH_CHECK(ds);
    double t0 = bench_now();
    for (long i = 0; i < n; i++)
        ds[i] = dl_deferred_new(eng, dl_passthru());
    for (long i = 0; i + 1 < n; i++)
        dl_deferred_add_callback(ds[i], dl_fn_make(&next_class, ds[i + 1]));
    dl_deferred_add_callback(ds[0], dl_fn_c(probe_stack, NULL, "probe"));
    for (long i = 0; i + 1 < n; i++)
        dl_deferred_callback(ds[i], dl_none());
    dl_deferred_callback(ds[n - 1], dl_int(42));
    double t1 = bench_now();
    BENCH_CHECK(ds[0]->result.kind == DL_INT && ds[0]->result.u.i == 42);
    for (long i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
    BENCH_CHECK(eng->live == 0);
    free(ds);
    dl_engine_free(eng);
    *stack = probe;
    return t1 - t0;
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 1000000);
    uintptr_t shallow, deep;
    run(2, &shallow);
    double s = run(n, &deep);
    long growth = (long)(shallow > deep ? shallow - deep : deep - shallow);
    printf("bench=deep impl=c ops=%ld seconds=%.6f stack_growth=%ld\n", n, s, growth);
    return growth == 0 ? 0 : 1;
}
