/* bigmem.h - large blocks straight from the kernel, on huge pages.
 *
 * On the machines deferlab is measured on, a page fault costs tens of
 * microseconds: faulting a few hundred megabytes in 4 KiB at a time (a
 * million Deferreds, a million trace records) was most of what those jobs
 * cost. Blocks from here are mapped aligned to 2 MiB and advised
 * MADV_HUGEPAGE, so where the kernel allows transparent huge pages each
 * 2 MiB is one fault.
 *
 * Sizes are rounded up to whole 2 MiB. Memory comes zero-filled and aligned
 * to 2 MiB. Under AddressSanitizer the blocks come from aligned_alloc and go
 * back to free, so overruns of them are still reported.
 */
#ifndef DL_BIGMEM_H
#define DL_BIGMEM_H

#include <stddef.h>

#define DL_BIG_ALIGN ((size_t)2 << 20)

/* n rounded up to whole DL_BIG_ALIGN. */
size_t dl_big_round(size_t n);
/* A zero-filled block of dl_big_round(n) bytes aligned to DL_BIG_ALIGN;
 * NULL on failure. */
void *dl_big_alloc(size_t n);
/* Grow p (of old bytes, as asked of dl_big_alloc/dl_big_grow; NULL with
 * old 0 for a first block) to n bytes: the contents stay, the new bytes are
 * zero, the block may move (and then need not stay 2 MiB aligned). NULL on
 * failure, p unchanged. */
void *dl_big_grow(void *p, size_t old, size_t n);
/* Free p (of n bytes, as asked). NULL is a no-op. */
void dl_big_free(void *p, size_t n);

#endif
