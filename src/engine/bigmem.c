/* bigmem.c - large blocks straight from the kernel (see bigmem.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mremap */
#endif
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define DL_BIG_USE_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DL_BIG_USE_MALLOC 1
#endif
#endif

size_t dl_big_round(size_t n)
{
    if (n == 0) n = 1;
    return (n + DL_BIG_ALIGN - 1) & ~(DL_BIG_ALIGN - 1);
}

#ifdef DL_BIG_USE_MALLOC

void *dl_big_alloc(size_t n)
{
    size_t len = dl_big_round(n);
    void *p = aligned_alloc(DL_BIG_ALIGN, len);
    if (p) memset(p, 0, len);
    return p;
}

void *dl_big_grow(void *p, size_t old, size_t n)
{
    size_t o = dl_big_round(old), m = dl_big_round(n);
    if (p && m <= o) return p;
    char *q = dl_big_alloc(n);
    if (!q) return NULL;
    if (p) memcpy(q, p, o);
    free(p);
    return q;
}

void dl_big_free(void *p, size_t n)
{
    (void)n;
    free(p);
}

#else

static void advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    madvise(p, n, MADV_HUGEPAGE); /* advice: refused or ignored, the block still works */
#else
    (void)p;
    (void)n;
#endif
}

void *dl_big_alloc(size_t n)
{
    size_t len = dl_big_round(n);
    /* Map one alignment more than needed and trim both ends. */
    char *p =
        mmap(NULL, len + DL_BIG_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    uintptr_t a = ((uintptr_t)p + DL_BIG_ALIGN - 1) & ~(uintptr_t)(DL_BIG_ALIGN - 1);
    size_t head = a - (uintptr_t)p;
    if (head) munmap(p, head);
    munmap((char *)a + len, DL_BIG_ALIGN - head);
    advise((void *)a, len);
    return (void *)a;
}

void *dl_big_grow(void *p, size_t old, size_t n)
{
    if (!p) return dl_big_alloc(n);
    size_t o = dl_big_round(old), m = dl_big_round(n);
    if (m <= o) return p;
#ifdef MREMAP_MAYMOVE
    /* In place when the next addresses are free, else the kernel moves the
     * pages (no copy). A moved block may lose its 2 MiB alignment only if
     * the kernel chose so; the advice carries over with the mapping. */
    void *q = mremap(p, o, m, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) return NULL;
    advise(q, m);
    return q;
#else
    void *q = dl_big_alloc(n);
    if (!q) return NULL;
    memcpy(q, p, o);
    munmap(p, o);
    return q;
#endif
}

void dl_big_free(void *p, size_t n)
{
    if (p) munmap(p, dl_big_round(n));
}

#endif
