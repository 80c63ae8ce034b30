/* mem.c - bytes per unfired Deferred holding one callback pair, measured.
 *
 * Two measures before and after creating N Deferreds, each with one
 * addCallbacks pair, divided by N: the resident set (/proc/self/statm; the
 * engine maps its Deferred slabs itself, so malloc statistics alone would
 * not see them) and, for what does go through malloc, mallinfo2 (uordblks
 * plus hblkhd). bytes_per_deferred is the resident-set figure. The pair's
 * functions share one static class and no user data, so what is measured is
 * the engine's own cost (a dl_fn_c closure would add its own malloc).
 */
#include <malloc.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "engine/deferred.h"

static int ident(void *ud, dl_value arg, dl_value *out)
{
    (void)ud;
    *out = dl_retain(arg);
    return 0;
}

static const dl_fn_class ident_class = {ident, NULL, NULL, "ident"};

static size_t malloc_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static size_t resident(void)
{
    unsigned long size = 0, pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    BENCH_CHECK(f && fscanf(f, "%lu %lu", &size, &pages) == 2);
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 1000000);
    dl_engine *eng = dl_engine_new();
    BENCH_CHECK(eng);
    dl_deferred **ds = malloc((size_t)n * sizeof *ds);
    BENCH_CHECK(ds);
    memset(ds, 0, (size_t)n * sizeof *ds); /* the bench's own array is resident before */
    size_t before = resident(), mbefore = malloc_in_use();
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        ds[i] = dl_deferred_new(eng, dl_passthru());
        BENCH_CHECK(ds[i]);
        dl_deferred_add_callbacks(ds[i], dl_fn_make(&ident_class, NULL),
                                  dl_fn_make(&ident_class, NULL));
    }
    double t1 = bench_now();
    size_t after = resident(), mafter = malloc_in_use();
    for (long i = 0; i < n; i++)
        dl_deferred_release(ds[i]);
    free(ds);
    dl_engine_free(eng);
    double per = (double)(after - before) / (double)n;
    double mper = (double)(mafter - mbefore) / (double)n;
    printf("bench=mem impl=c ops=%ld seconds=%.6f bytes_per_deferred=%.1f malloc_bytes=%.1f "
           "struct_bytes=%zu\n",
           n, t1 - t0, per, mper, sizeof(dl_deferred));
    return 0;
}
