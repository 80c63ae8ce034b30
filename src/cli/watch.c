/* watch.c - `deferlab watch CHALLENGE [SOLUTION.lua]`: re-check on every save.
 *
 * A plain-terminal loop (no curses): checks once, then again every time the
 * file is saved (the watcher falls back to polling by itself when file
 * events stop arriving, and says so). `r` + Enter re-checks now, `q` +
 * Enter (or Ctrl-C) quits. Exit status 0, or 2 when it cannot start.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/challenges.h"
#include "lesson/work.h"
#include "loop/loop.h"
#include "loop/watch.h"

static const char watch_usage[] =
    "usage: deferlab watch CHALLENGE [SOLUTION.lua] [--dir ROOT]\n"
    "Checks your file every time you save it. r + Enter: check now; q + Enter: quit.\n";

typedef struct watch_app {
    dl_loop *loop;
    dl_challenge *c;
    const char *solution;
    char line[256];
    size_t len;
    bool passed_once;
} watch_app;

static void run_check(watch_app *a, const char *why)
{
    char stamp[16];
    time_t t = time(NULL);
    strftime(stamp, sizeof stamp, "%H:%M:%S", localtime(&t));
    printf("\n---- %s  %s ----\n", stamp, why);
    dl_check_report r;
    char err[1024];
    int rc = dl_check_run_file(a->c, a->solution, NULL, &r, err, sizeof err);
    if (rc == -1)
        printf("%s\n", err);
    else if (rc != 0)
        printf("out of memory while checking\n");
    else if (dl__cli_print_report(stdout, a->c, a->solution, &r) == 0 && !a->passed_once) {
        dl_progress p;
        if (dl__cli_progress_load(&p) == 0) {
            dl_progress_item *it = dl_progress_challenge(&p, a->c->id);
            if (it) {
                it->done = true;
                dl__cli_progress_save(&p);
            }
            dl_progress_free(&p);
        }
        a->passed_once = true;
    }
    dl_check_report_free(&r); /* empty when the run did not start */
    printf("[watching %s: save to check again; r + Enter: check now; q + Enter: quit]\n",
           a->solution);
    fflush(stdout);
}

static void on_change(void *ud)
{
    run_check(ud, "saved");
}

static void on_mode(void *ud, dl_watch_mode mode, const char *why)
{
    (void)ud;
    printf("watch: %s%s\n", mode == DL_WATCH_POLLING ? "" : "events: ", why);
    fflush(stdout);
}

static void command(watch_app *a, const char *cmd)
{
    if (strcmp(cmd, "r") == 0)
        run_check(a, "check requested");
    else if (strcmp(cmd, "q") == 0)
        dl_loop_stop(a->loop);
    else if (cmd[0])
        printf("r + Enter: check now; q + Enter: quit\n");
    fflush(stdout);
}

static void on_input(void *ud)
{
    watch_app *a = ud;
    char buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) { /* end of input: keep watching until a signal */
        dl_loop_input(a->loop, 0);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n' || a->len == sizeof a->line - 1) {
            a->line[a->len] = '\0';
            while (a->len && (a->line[a->len - 1] == ' ' || a->line[a->len - 1] == '\r'))
                a->line[--a->len] = '\0';
            a->len = 0;
            command(a, a->line);
        } else {
            a->line[a->len++] = buf[i];
        }
    }
}

static void on_signal(void *ud, int signum)
{
    watch_app *a = ud;
    (void)signum;
    dl_loop_stop(a->loop);
}

int dl_cli_watch(int argc, char **argv)
{
    const char *target = NULL, *solution = NULL, *dir = NULL;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            fputs(watch_usage, stdout);
            return 0;
        } else if (strcmp(s, "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (s[0] == '-' || (target && solution)) {
            fprintf(stderr, "deferlab watch: unexpected `%s`\n%s", s, watch_usage);
            return 2;
        } else if (!target) {
            target = s;
        } else {
            solution = s;
        }
    }
    if (!target) {
        fprintf(stderr, "deferlab watch: which challenge?\n%s", watch_usage);
        return 2;
    }
    watch_app a = {0};
    a.c = dl__cli_load_challenge(dl__cli_root(dir), target);
    if (!a.c) return 2;
    int status = 2;
    char work[PATH_MAX];
    int fds[2] = {-1, -1};
    dl_watch *w = NULL;
    if (!solution) {
        if (dl_work_path(a.c->id, work, sizeof work) != 0) {
            fprintf(stderr, "deferlab watch: no home folder for your working copy; name a file\n");
            goto done;
        }
        int made = dl__cli_ensure_work(a.c, work);
        if (made < 0) goto done;
        if (made) printf("Created your working copy from the starter: %s\n", work);
        solution = work;
    }
    a.solution = solution;
    dl_loop_handlers h = {.on_input = on_input, .on_signal = on_signal, .ud = &a};
    a.loop = dl_loop_new(&h, STDIN_FILENO);
    if (!a.loop) {
        /* stdin cannot be polled (a regular file, /dev/null): no keys, then. */
        h.on_input = NULL;
        if (pipe(fds) == 0) a.loop = dl_loop_new(&h, fds[0]);
    }
    if (!a.loop) {
        fprintf(stderr, "deferlab watch: cannot start the event loop\n");
        goto done;
    }
    char err[512];
    dl_watch_handlers wh = {.on_change = on_change, .on_mode = on_mode, .ud = &a};
    w = dl_watch_new(a.loop, solution, &wh, NULL, err, sizeof err);
    if (!w) {
        fprintf(stderr, "deferlab watch: %s\n", err);
        goto done;
    }
    run_check(&a, "first check");
    dl_loop_run(a.loop);
    status = 0;
done:
    dl_watch_free(w);
    dl_loop_free(a.loop);
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
    dl_challenge_free(a.c);
    return status;
}
