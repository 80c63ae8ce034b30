/* bench.h - shared helpers for the benchmark programs in bench/.
 *
 * Every benchmark prints exactly one machine-readable line on stdout,
 *     bench=NAME impl=c ops=N seconds=S [key=value ...]
 * which bench/run.sh parses. The size comes from argv[1] so the callgrind
 * runs (make bench-callgrind) can use smaller ones.
 */
#ifndef DL_BENCH_H
#define DL_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* argv[i] as a positive count, or dflt when absent. Exits on nonsense. */
static inline long bench_arg(int argc, char **argv, int i, long dflt)
{
    if (argc <= i) return dflt;
    char *end;
    long n = strtol(argv[i], &end, 10);
    if (*end || n <= 0) {
        fprintf(stderr, "%s: bad size '%s'\n", argv[0], argv[i]);
        exit(2);
    }
    return n;
}

#define BENCH_CHECK(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#endif
