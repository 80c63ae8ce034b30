/* test_progress.c - the progress file never loses what the learner did:
 * saves are atomic even under kill -9, a corrupt file is kept aside and
 * reported with its line, and a folder that cannot be written is an error
 * that leaves the old file intact. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lesson/progress.h"

static char DIR_[64], PATH_[128];

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/dl-progress-XXXXXX");
    if (!mkdtemp(DIR_)) return -1;
    snprintf(PATH_, sizeof PATH_, "%s/progress", DIR_);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chmod(DIR_, 0700);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strdup(buf);
}

/* A progress with n challenges, each with hints == n: a save is whole only
 * if every line agrees with the count. */
static void fill(dl_progress *p, int n)
{
    for (int i = 0; i < n; i++) {
        char id[64];
        snprintf(id, sizeof id, "%02d-challenge-with-a-longish-name", i);
        dl_progress_item *it = dl_progress_challenge(p, id);
        it->done = i % 2 == 0;
        it->hints = n;
    }
}

static void kill_during_saves_never_corrupts(void **state)
{
    (void)state;
    srand((unsigned)time(NULL));
    /* A whole file to start from: a kill before the first save keeps it. */
    dl_progress first = {.path = strdup(PATH_)};
    char m0[512];
    fill(&first, 5);
    assert_int_equal(dl_progress_save(&first, m0, sizeof m0), 0);
    dl_progress_free(&first);
    for (int round = 0; round < 40; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            dl_progress p;
            char msg[512];
            if (dl_progress_load(&p, PATH_, msg, sizeof msg) < 0) _exit(3);
            for (int i = 0;; i++) {
                dl_progress_free(&p);
                memset(&p, 0, sizeof p);
                p.path = strdup(PATH_);
                fill(&p, 1 + i % 200);
                if (dl_progress_save(&p, msg, sizeof msg) != 0) _exit(4);
            }
        }
        struct timespec ts = {0, 1000000L + (rand() % 20) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status)); /* it was still saving: killed mid-way */
        dl_progress p;
        char msg[512] = "";
        int rc = dl_progress_load(&p, PATH_, msg, sizeof msg);
        if (rc != 0) fail_msg("round %d: %s", round, msg);
        /* Whole: every entry agrees with how many there are. */
        assert_true(p.nchallenges >= 1);
        for (size_t i = 0; i < p.nchallenges; i++)
            assert_int_equal(p.challenges[i].hints, (int)p.nchallenges);
        dl_progress_free(&p);
    }
    /* The next save sweeps away the temporary files the killed savers left. */
    dl_progress last = {.path = strdup(PATH_)};
    char m1[512];
    fill(&last, 3);
    char live[160];
    snprintf(live, sizeof live, "%s.tmp-1", PATH_); /* pid 1 runs: its file stays */
    FILE *lf = fopen(live, "w");
    assert_non_null(lf);
    fclose(lf);
    pid_t gone = fork(); /* a pid that surely ran and is gone: its file goes */
    assert_true(gone >= 0);
    if (gone == 0) _exit(0);
    waitpid(gone, NULL, 0);
    char stale[160];
    snprintf(stale, sizeof stale, "%s.tmp-%ld", PATH_, (long)gone);
    FILE *sf = fopen(stale, "w");
    assert_non_null(sf);
    fclose(sf);
    assert_int_equal(dl_progress_save(&last, m1, sizeof m1), 0);
    dl_progress_free(&last);
    DIR *d = opendir(DIR_);
    assert_non_null(d);
    int leftovers = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "progress.tmp-", 13) == 0 &&
            strcmp(e->d_name, "progress.tmp-1") != 0)
            leftovers++;
    closedir(d);
    assert_int_equal(leftovers, 0);
    assert_int_equal(access(live, F_OK), 0);
    assert_int_equal(access(stale, F_OK), -1);
}

static void corrupt_file_is_kept_and_reported(void **state)
{
    (void)state;
    static const char bad[] = "# deferlab progress\nversion 1\nchallenge 01-x passed\nbanana 3\n";
    FILE *f = fopen(PATH_, "w");
    fputs(bad, f);
    fclose(f);
    dl_progress p;
    char msg[1024];
    assert_int_equal(dl_progress_load(&p, PATH_, msg, sizeof msg), 1);
    char want[512];
    snprintf(want, sizeof want,
             "%s:4: progress file not understood (unknown line); kept it as %s.corrupt-", PATH_,
             PATH_);
    assert_int_equal(strncmp(msg, want, strlen(want)), 0);
    assert_non_null(strstr(msg, "; starting with empty progress"));
    /* Nothing loaded, nothing lost: the file is where the message says. */
    assert_int_equal(p.nchallenges, 0);
    assert_int_equal(access(PATH_, F_OK), -1);
    char aside[256];
    const char *as = strstr(msg, "kept it as ") + strlen("kept it as ");
    snprintf(aside, sizeof aside, "%.*s", (int)(strstr(as, ";") - as), as);
    char *kept = slurp(aside);
    assert_non_null(kept);
    assert_string_equal(kept, bad);
    free(kept);
    /* Saving now makes a fresh file and leaves the corrupt one alone. */
    dl_progress_lesson(&p, "01-a")->done = true;
    assert_int_equal(dl_progress_save(&p, msg, sizeof msg), 0);
    kept = slurp(aside);
    assert_string_equal(kept, bad);
    free(kept);
    dl_progress_free(&p);
}

static void read_only_folder_loses_nothing(void **state)
{
    (void)state;
    dl_progress p;
    char msg[1024];
    assert_int_equal(dl_progress_load(&p, PATH_, msg, sizeof msg), 0);
    dl_progress_challenge(&p, "01-memoize")->done = true;
    assert_int_equal(dl_progress_save(&p, msg, sizeof msg), 0);
    dl_progress_free(&p);
    char *before = slurp(PATH_);
    assert_non_null(before);
    assert_int_equal(chmod(PATH_, 0644), 0);
    assert_int_equal(chmod(DIR_, 0555), 0);
    /* root ignores permissions: the save is tried as nobody. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(10);
        dl_progress q;
        char m[1024];
        if (dl_progress_load(&q, PATH_, m, sizeof m) != 0) _exit(11);
        if (q.nchallenges != 1 || !q.challenges[0].done) _exit(12);
        dl_progress_challenge(&q, "02-more")->hints = 2;
        if (dl_progress_save(&q, m, sizeof m) != -1) _exit(13);
        if (!strstr(m, "cannot write progress: Permission denied")) _exit(14);
        if (!strstr(m, DIR_)) _exit(15);
        dl_progress_free(&q);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *after = slurp(PATH_);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void missing_folder_is_created(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "%s/a/b/progress", DIR_);
    dl_progress p;
    char msg[512];
    assert_int_equal(dl_progress_load(&p, path, msg, sizeof msg), 0);
    dl_progress_set_current(&p, "03-x");
    assert_int_equal(dl_progress_save(&p, msg, sizeof msg), 0);
    dl_progress_free(&p);
    assert_int_equal(dl_progress_load(&p, path, msg, sizeof msg), 0);
    assert_string_equal(p.current, "03-x");
    dl_progress_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(kill_during_saves_never_corrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_file_is_kept_and_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(read_only_folder_loses_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_folder_is_created, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
