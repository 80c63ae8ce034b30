/* fuzz_driver.c - the libFuzzer entry for one target, chosen at build time:
 *     clang -fsanitize=fuzzer,address,undefined -DDLFZ_ENTRY=dlfz_trace ...
 * (see tests/fuzz/README.md and `make fuzz`).
 */
#include "targets.h"

#ifndef DLFZ_ENTRY
#error "build with -DDLFZ_ENTRY=dlfz_<target>"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return DLFZ_ENTRY(data, size);
}
