/* paint.c - paint the replay screen at 200x60 with 1,000 Deferreds.
 *
 * The model is fed live from an engine: 1,000 Deferreds, each with three
 * callbacks, every other one waiting on the next through a returned
 * Deferred, then all fired. dl_tui_snapshot paints FRAMES frames into an
 * off-screen terminal (the cursor moving back and forth by one step, so
 * every frame is a real repaint); seconds / FRAMES is the time per frame.
 *
 * usage: paint [FRAMES]
 */
#include "bench.h"
#include "engine/deferred.h"
#include "trace/model.h"
#include "tui/tui.h"

#define NDEFERREDS 1000

static dl_value inc(dl_value v, void *ud)
{
    (void)ud;
    return dl_int(v.kind == DL_INT ? v.u.i + 1 : 0);
}

static int ret_other(void *ud, dl_value arg, dl_value *out)
{
    (void)arg;
    *out = dl_deferred_value(ud);
    return 0;
}

static const dl_fn_class ret_class = {ret_other, NULL, NULL, "returnNext"};

int main(int argc, char **argv)
{
    long frames = bench_arg(argc, argv, 1, 200);
    dl_model *m = dl_model_new();
    dl_engine *eng = dl_engine_new();
    BENCH_CHECK(m && eng);
    dl_engine_observe(eng, dl_model_observe, m);
    dl_deferred *ds[NDEFERREDS];
    for (int i = 0; i < NDEFERREDS; i++)
        ds[i] = dl_deferred_new(eng, dl_passthru());
    for (int i = 0; i < NDEFERREDS; i++) {
        dl_deferred_add_callback(ds[i], dl_fn_c(inc, NULL, "inc"));
        if (i % 2 == 0 && i + 1 < NDEFERREDS)
            dl_deferred_add_callback(ds[i], dl_fn_make(&ret_class, ds[i + 1]));
        dl_deferred_add_callback(ds[i], dl_fn_c(inc, NULL, "inc"));
    }
    for (int i = 0; i < NDEFERREDS; i++)
        dl_deferred_callback(ds[i], dl_int(i));
    BENCH_CHECK(dl_model_error(m) == 0);
    BENCH_CHECK(dl_model_deferred_count(m) == NDEFERREDS);
    int64_t cursor = (int64_t)dl_model_len(m) - 1;
    char *out = NULL;
    /* One untimed frame: curses' first-time setup is startup, not paint. */
    BENCH_CHECK(dl_tui_snapshot(m, cursor, 60, 200, 1, 1, &out) == 0);
    free(out);
    double t0 = bench_now();
    BENCH_CHECK(dl_tui_snapshot(m, cursor, 60, 200, 1, (int)frames, &out) == 0);
    double t1 = bench_now();
    free(out);
    printf("bench=paint impl=c ops=%ld seconds=%.6f ms_per_frame=%.3f events=%zu\n", frames,
           t1 - t0, (t1 - t0) * 1e3 / (double)frames, dl_model_len(m));
    for (int i = 0; i < NDEFERREDS; i++)
        dl_deferred_release(ds[i]);
    dl_engine_observe(eng, NULL, NULL);
    dl_engine_free(eng);
    dl_model_free(m);
    return 0;
}
