/* targets.h - fuzz entry points shared by the libFuzzer drivers
 * (tests/fuzz/fuzz_*.c) and the plain replay driver
 * (tests/unit/test_fuzz_regressions.c).
 *
 * Each entry takes arbitrary bytes and must return normally: a crash, a
 * sanitizer report, a leak or an abort() from a broken invariant is a bug.
 * They all return 0.
 */
#ifndef DL_FUZZ_TARGETS_H
#define DL_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

int dlfz_lesson(const uint8_t *data, size_t size);    /* dl_doc_parse + dl_lesson_from_doc */
int dlfz_challenge(const uint8_t *data, size_t size); /* dl_doc_parse + dl_challenge_from_doc */
int dlfz_trace(const uint8_t *data, size_t size);     /* dl_trace_load_stream + the model */
int dlfz_progress(const uint8_t *data, size_t size);  /* dl_progress_load/save round trip */
int dlfz_engine(const uint8_t *data, size_t size);    /* op sequences on the C engine */
int dlfz_lua(const uint8_t *data, size_t size);       /* generated Lua through dl_script */

typedef int (*dlfz_entry)(const uint8_t *data, size_t size);

/* The entry named name ("lesson", "trace" ...; the folder names under
 * tests/fuzz/corpus and tests/fuzz/regressions), or NULL. */
dlfz_entry dlfz_find(const char *name);

#endif
