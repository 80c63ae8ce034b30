/* test_watch.c - the file watcher: one report per save (in place or by
 * rename), nothing for other files, and the fall back to polling when file
 * events stop arriving (simulated with the drop hook). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop/watch.h"

typedef struct fixture {
    char dir[64];
    char file[128];
    int fds[2];
    dl_loop *loop;
    dl_watch *w;
    int changes;
    int modes;
    dl_watch_mode last_mode;
    char why[256];
    int step;
    void (*script)(struct fixture *f, int step); /* runs every 50 ms */
    int stop_at;
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* Several writes: several events, one report. */
    for (const char *p = text; *p; p++)
        fputc(*p, f), fflush(f);
    assert_int_equal(fclose(f), 0);
}

static void on_change(void *ud)
{
    ((fixture *)ud)->changes++;
}

static void on_mode(void *ud, dl_watch_mode mode, const char *why)
{
    fixture *f = ud;
    f->modes++;
    f->last_mode = mode;
    snprintf(f->why, sizeof f->why, "%s", why);
}

static void tick(void *ud)
{
    fixture *f = ud;
    f->step++;
    if (f->script) f->script(f, f->step);
    if (f->step >= f->stop_at) dl_loop_stop(f->loop);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/dl-watch-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->file, sizeof f->file, "%s/solution.lua", f->dir);
    write_file(f->file, "-- start\n");
    if (pipe(f->fds) != 0) return -1;
    dl_loop_handlers h = {.ud = f};
    f->loop = dl_loop_new(&h, f->fds[0]);
    if (!f->loop) return -1;
    dl_watch_handlers wh = {.on_change = on_change, .on_mode = on_mode, .ud = f};
    dl_watch_opts o = {.debounce_ms = 100, .verify_ms = 100, .poll_ms = 50};
    char err[256];
    f->w = dl_watch_new(f->loop, f->file, &wh, &o, err, sizeof err);
    if (!f->w) fail_msg("%s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dl_watch_free(f->w);
    dl_loop_free(f->loop);
    close(f->fds[0]);
    close(f->fds[1]);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) return -1;
    free(f);
    return 0;
}

static void run_script(fixture *f, void (*script)(fixture *, int), int stop_at)
{
    f->script = script;
    f->stop_at = stop_at;
    dl_loop_timer_start(f->loop, 50, tick, f);
    dl_loop_run(f->loop);
    dl_loop_timer_stop(f->loop);
}

static void save_in_place(fixture *f, int step)
{
    if (step == 2) write_file(f->file, "function memoize(f) return f end\n");
}

static void in_place_save_reports_once(void **state)
{
    fixture *f = *state;
    run_script(f, save_in_place, 20);
    assert_int_equal(f->changes, 1);
    assert_int_equal(f->modes, 0);
    assert_int_equal(dl_watch_get_mode(f->w), DL_WATCH_EVENTS);
}

static void save_by_rename(fixture *f, int step)
{
    if (step != 2) return;
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s/.solution.lua.swp", f->dir);
    write_file(tmp, "function memoize(f) return f end -- saved by rename\n");
    assert_int_equal(rename(tmp, f->file), 0);
}

static void rename_save_reports(void **state)
{
    fixture *f = *state;
    run_script(f, save_by_rename, 20);
    assert_int_equal(f->changes, 1);
    assert_int_equal(f->modes, 0);
    /* The watch survives the inode change: a second save is seen too. */
    f->step = 0;
    run_script(f, save_in_place, 20);
    assert_int_equal(f->changes, 2);
    assert_int_equal(dl_watch_get_mode(f->w), DL_WATCH_EVENTS);
}

static void save_other_file(fixture *f, int step)
{
    char other[160];
    snprintf(other, sizeof other, "%s/notes.txt", f->dir);
    if (step == 2) write_file(other, "not the watched file\n");
}

static void other_files_ignored(void **state)
{
    fixture *f = *state;
    run_script(f, save_other_file, 20);
    assert_int_equal(f->changes, 0);
    assert_int_equal(f->modes, 0);
}

static void delete_then_create(fixture *f, int step)
{
    if (step == 2) assert_int_equal(unlink(f->file), 0);
    if (step == 20) write_file(f->file, "-- back again\n");
}

/* A deleted file is not a missed save (no fallback), and its return is seen. */
static void deletion_is_not_a_lost_event(void **state)
{
    fixture *f = *state;
    run_script(f, delete_then_create, 40);
    assert_int_equal(f->modes, 0);
    assert_int_equal(f->changes, 1);
    assert_int_equal(dl_watch_get_mode(f->w), DL_WATCH_EVENTS);
}

static void two_saves(fixture *f, int step)
{
    if (step == 2) write_file(f->file, "-- first save\n");
    if (step == 20) write_file(f->file, "-- second save, longer\n");
}

static void lost_events_fall_back_to_polling(void **state)
{
    fixture *f = *state;
    dl__watch_drop_events(f->w, true);
    run_script(f, two_saves, 40);
    assert_int_equal(f->modes, 1);
    assert_int_equal(f->last_mode, DL_WATCH_POLLING);
    assert_string_equal(f->why, "a save went unnoticed by file events: polling every 50 ms");
    assert_int_equal(dl_watch_get_mode(f->w), DL_WATCH_POLLING);
    /* The missed save is reported, and so is the one seen by polling. */
    assert_int_equal(f->changes, 2);
}

static void unwatchable_folder(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    dl_loop_handlers h = {0};
    dl_loop *loop = dl_loop_new(&h, fds[0]);
    assert_non_null(loop);
    dl_watch_handlers wh = {.on_change = on_change};
    char err[256];
    assert_null(dl_watch_new(loop, "/nonexistent-dl/sub/x.lua", &wh, NULL, err, sizeof err));
    assert_string_equal(err, "/nonexistent-dl/sub: cannot watch: No such file or directory");
    dl_loop_free(loop);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(in_place_save_reports_once, setup, teardown),
        cmocka_unit_test_setup_teardown(rename_save_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(other_files_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(deletion_is_not_a_lost_event, setup, teardown),
        cmocka_unit_test_setup_teardown(lost_events_fall_back_to_polling, setup, teardown),
        cmocka_unit_test(unwatchable_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
