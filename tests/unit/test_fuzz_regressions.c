/* test_fuzz_regressions.c - replay every input the fuzzers ever broke
 * deferlab with, through the same entry functions (tests/fuzz/targets.c),
 * built with the normal compiler so `make test` and `make test-asan` run them
 * without libFuzzer.
 *
 * tests/fuzz/regressions/<target>/<input>: <target> names the entry
 * (dlfz_find). Also replays the seed corpora (tests/fuzz/corpus/<target>/),
 * which doubles as a smoke test of every target.
 *
 *     build/tests/test_fuzz_regressions            # all of them (cmocka)
 *     build/tests/test_fuzz_regressions T FILE...  # just these, for target T
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* The entries are compiled in here: the unit-test link rule takes one .c. */
#include "../fuzz/targets.c"

#ifndef DLFZ_ROOT
#define DLFZ_ROOT "tests/fuzz"
#endif

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run the entry of every target folder under root/kind over each file in it.
 * Returns the number of inputs replayed. */
static size_t replay_tree(const char *kind)
{
    char root[512];
    snprintf(root, sizeof root, "%s/%s", DLFZ_ROOT, kind);
    DIR *top = opendir(root);
    assert_non_null(top);
    size_t count = 0;
    struct dirent *t;
    while ((t = readdir(top)) != NULL) {
        if (t->d_name[0] == '.') continue;
        dlfz_entry fn = dlfz_find(t->d_name);
        if (!fn) fail_msg("%s/%s: no fuzz target of that name", root, t->d_name);
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", root, t->d_name);
        DIR *d = opendir(dir);
        assert_non_null(d);
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') continue;
            names = realloc(names, (n + 1) * sizeof *names);
            assert_non_null(names);
            names[n++] = strdup(e->d_name);
        }
        closedir(d);
        if (n) qsort(names, n, sizeof *names, by_name);
        for (size_t i = 0; i < n; i++) {
            char path[2048];
            size_t len = 0;
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            uint8_t *data = slurp(path, &len);
            if (!data) fail_msg("cannot read %s", path);
            fprintf(stderr, "  replay %s\n", path);
            fn(data, len);
            free(data);
            free(names[i]);
            count++;
        }
        free(names);
    }
    closedir(top);
    return count;
}

static void test_regressions(void **state)
{
    (void)state;
    replay_tree("regressions");
}

static void test_corpora(void **state)
{
    (void)state;
    assert_true(replay_tree("corpus") > 0);
}

/* Found with the malformed-input corpus: two corrupt progress files in the
 * same second were both moved to progress.corrupt-<time>, so the second
 * rename replaced the first. Both must be kept. */
static void test_corrupt_progress_twice_keeps_both(void **state)
{
    (void)state;
    char dir[] = "/tmp/dlfz-twice-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/progress", dir);
    const char *bodies[] = {"version 1\nfirst bad line\n", "version 1\nsecond bad line\n"};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bodies[i], f);
        fclose(f);
        dl_progress p;
        char msg[1024];
        assert_int_equal(dl_progress_load(&p, path, msg, sizeof msg), 1);
        assert_non_null(strstr(msg, "kept it as "));
        dl_progress_free(&p);
    }
    /* Both bodies are somewhere in the folder. */
    int found[2] = {0, 0}, files = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char p[512];
        size_t len;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        uint8_t *data = slurp(p, &len);
        assert_non_null(data);
        for (int i = 0; i < 2; i++)
            if (len == strlen(bodies[i]) && memcmp(data, bodies[i], len) == 0) found[i] = 1;
        free(data);
        unlink(p);
        files++;
    }
    closedir(d);
    rmdir(dir);
    assert_int_equal(files, 2);
    assert_true(found[0] && found[1]);
}

int main(int argc, char **argv)
{
    if (argc >= 3) {
        dlfz_entry fn = dlfz_find(argv[1]);
        if (!fn) {
            fprintf(stderr, "unknown target %s\n", argv[1]);
            return 2;
        }
        for (int i = 2; i < argc; i++) {
            size_t len = 0;
            uint8_t *data = slurp(argv[i], &len);
            if (!data) {
                fprintf(stderr, "cannot read %s\n", argv[i]);
                return 2;
            }
            fn(data, len);
            free(data);
            fprintf(stderr, "%s: ok\n", argv[i]);
        }
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_corpora),
        cmocka_unit_test(test_corrupt_progress_twice_keeps_both),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
