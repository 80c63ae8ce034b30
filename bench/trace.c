/* trace.c - the trace pipeline: write, load, seek.
 *
 *   write  a chain10 workload (N Deferreds x 10 callbacks) observed by the
 *          trace writer: every event rendered and written to FILE.
 *   load   dl_trace_load + dl_model_new_from_trace on that file, then one
 *          seek to the last event, which folds the whole trace and builds
 *          every snapshot (so load_seconds is "open the file until any step
 *          can be shown").
 *   seek   SEEKS seeks to pseudo-random steps (plus first and last); the
 *          slowest one is reported.
 *
 * usage: trace N FILE [SEEKS]. Prints three lines (write, load, seek).
 */
#include <stdint.h>

#include "bench.h"
#include "engine/deferred.h"
#include "trace/model.h"
#include "trace/reader.h"

static dl_value inc(dl_value v, void *ud)
{
    (void)ud;
    return dl_int(v.u.i + 1);
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 32000);
    const char *path = argc > 2 ? argv[2] : "/tmp/deferlab-bench-trace.jsonl";
    long seeks = bench_arg(argc, argv, 3, 500);

    /* ---- write ---- */
    FILE *f = fopen(path, "w");
    BENCH_CHECK(f);
    dl_trace_producer prod = {"bench/trace.c", DL_SEMANTICS_TWISTED, false};
    dl_trace_writer *w = dl_trace_writer_new(f, &prod);
    BENCH_CHECK(w);
    dl_engine *eng = dl_engine_new();
    BENCH_CHECK(eng);
    dl_engine_observe(eng, dl_trace_writer_observe, w);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        dl_deferred *d = dl_deferred_new(eng, dl_passthru());
        for (int k = 0; k < 10; k++)
            dl_deferred_add_callback(d, dl_fn_c(inc, NULL, "inc"));
        dl_deferred_callback(d, dl_int(0));
        dl_deferred_release(d);
    }
    uint64_t events = dl_trace_writer_count(w);
    BENCH_CHECK(dl_trace_writer_close(w) == 0);
    BENCH_CHECK(fclose(f) == 0);
    double t1 = bench_now();
    dl_engine_free(eng);
    printf("bench=trace-write impl=c ops=%llu seconds=%.6f\n", (unsigned long long)events, t1 - t0);

    /* ---- load ---- */
    char err[512];
    dl_trace *t = NULL;
    t0 = bench_now();
    BENCH_CHECK(dl_trace_load(path, &t, err, sizeof err) == 0);
    double parsed = bench_now();
    dl_model *m = dl_model_new_from_trace(t);
    BENCH_CHECK(m);
    size_t len = dl_model_len(m);
    BENCH_CHECK(len == events);
    BENCH_CHECK(dl_model_seek(m, (int64_t)len - 1) == 0);
    t1 = bench_now();
    printf("bench=trace-load impl=c ops=%zu seconds=%.6f parse_seconds=%.6f\n", len, t1 - t0,
           parsed - t0);

    /* ---- seek ---- */
    double worst = 0, total = 0;
    uint64_t x = 88172645463325252ull; /* xorshift: the same steps every run */
    for (long s = 0; s < seeks + 2; s++) {
        int64_t target;
        if (s == 0)
            target = 0;
        else if (s == 1)
            target = (int64_t)len - 1;
        else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            target = (int64_t)(x % len);
        }
        double a = bench_now();
        BENCH_CHECK(dl_model_seek(m, target) == 0);
        double b = bench_now() - a;
        total += b;
        if (b > worst) worst = b;
    }
    printf("bench=trace-seek impl=c ops=%ld seconds=%.6f worst_ms=%.3f\n", seeks + 2, total,
           worst * 1e3);
    dl_model_free(m);
    return 0;
}
