/* startup.c - startup to the first frame, the proxy.
 *
 * Does what `deferlab replay TRACE` does before its first paint: load the
 * trace, build the model, seek to the first event, open a curses screen
 * (200x60, off-screen) and paint the replay frame. bench/run.sh times this
 * process from exec to exit, so dynamic linking and exit count too; only
 * the terminal's own I/O is missing. With --marker, prints the frame's last
 * non-blank row instead (bench/startup.py looks for it on a real terminal).
 *
 * usage: startup TRACE [--marker]
 */
#include <string.h>

#include "bench.h"
#include "trace/model.h"
#include "trace/reader.h"
#include "tui/tui.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: startup TRACE [--marker]\n");
        return 2;
    }
    double t0 = bench_now();
    char err[512];
    dl_trace *t = NULL;
    if (dl_trace_load(argv[1], &t, err, sizeof err) != 0) {
        fprintf(stderr, "startup: %s\n", err);
        return 1;
    }
    dl_model *m = dl_model_new_from_trace(t);
    BENCH_CHECK(m);
    BENCH_CHECK(dl_model_seek(m, 0) == 0);
    char *out = NULL;
    BENCH_CHECK(dl_tui_snapshot(m, 0, 60, 200, 1, 1, &out) == 0);
    double t1 = bench_now();
    if (argc > 2 && strcmp(argv[2], "--marker") == 0) {
        char *last = NULL;
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
            if (line[strspn(line, " ")]) last = line;
        printf("%s\n", last ? last + strspn(last, " ") : "");
    } else {
        printf("bench=startup-inproc impl=c ops=1 seconds=%.6f\n", t1 - t0);
    }
    free(out);
    dl_model_free(m);
    return 0;
}
