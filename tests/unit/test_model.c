/* test_model.c - the trace model: exact state at chosen steps, queries, and
 * random seeks over a long trace agreeing with a plain sequential fold. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/primitives.h"
#include "trace/model.h"

static dl_model *live_model(void)
{
    dl_model *m = dl_model_new();
    assert_non_null(m);
    dl_engine_observe(E, dl_model_observe, m);
    return m;
}

/* Index of the n-th (0-based) event of this kind on Deferred d. */
static int64_t find_event(const dl_model *m, int kind, uint32_t d, int n)
{
    for (size_t i = 0; i < dl_model_len(m); i++) {
        const dl_trace_rec *r = dl_model_event(m, i);
        if (r->kind == kind && r->d == d && n-- == 0) return (int64_t)i;
    }
    fail_msg("no event %s on d#%u", dl_event_wire_name((dl_event_kind)kind), (unsigned)d);
    return -1;
}

static const dl_model_deferred *get_d(const dl_model *m, uint32_t id)
{
    const dl_model_deferred *d = dl_model_find_deferred(m, id);
    assert_non_null(d);
    return d;
}

/* ---- exact state: a callback returns an unfired Deferred ---------------- */

static void exact_returned_deferred(void **state)
{
    (void)state;
    dl_model *m = live_model();
    dl_deferred *outer = D("outer"), *inner = dl_deferred_new(E, dl_passthru());
    uint32_t o = outer->hdr.id, in = inner->hdr.id;
    dl_deferred_add_callback(outer, cb_defer("get_inner", inner));
    dl_deferred_add_callbacks(outer, cb_log("after"), cb_log("after_eb"));
    dl_deferred_add_callback(inner, cb_ret("inner_cb", I(42)));
    dl_deferred_callback(outer, I(1));
    dl_deferred_callback(inner, S("x"));
    assert_log("get_inner(1) inner_cb(\"x\") after(42)");
    dl_engine_observe(E, NULL, NULL);

    /* Before anything. */
    assert_int_equal(dl_model_seek(m, -1), 0);
    assert_int_equal(dl_model_deferred_count(m), 0);
    assert_null(dl_model_find_deferred(m, o));

    /* The callback has been entered but has not returned. */
    assert_int_equal(dl_model_seek(m, find_event(m, DL_EV_CALL, o, 0)), 0);
    const dl_model_deferred *d = get_d(m, o);
    assert_int_equal(d->running, 1);
    assert_int_equal(dl_model_pair_at(d, 0)->status, DL_MP_RUNNING);
    assert_string_equal(dl_model_pair_at(d, 0)->input, "1");
    assert_null(dl_model_pair_at(d, 0)->output);

    /* Right after the callback returned the Deferred: outer waits on inner. */
    assert_int_equal(dl_model_seek(m, find_event(m, DL_EV_WAITING, o, 0)), 0);
    d = get_d(m, o);
    char name[32];
    dl_model_deferred_name(d, name, sizeof name);
    assert_string_equal(name, "outer");
    assert_string_equal(d->cls, "Deferred");
    assert_int_equal(d->created_at, 0);
    assert_int_equal(d->state, DL_MD_WAITING);
    assert_int_equal(d->waiting_on, in);
    assert_int_equal(d->paused, 1);
    assert_int_equal(d->running, 0);
    assert_string_equal(d->result, "<Deferred d#2>");
    assert_int_equal(d->result_kind, DL_DEFERRED);
    assert_int_equal(dl_model_pair_count(d), 2);
    const dl_model_pair *p = dl_model_pair_at(d, 0);
    assert_int_equal(p->index, 1);
    assert_string_equal(p->cb, "get_inner");
    assert_string_equal(p->eb, "passthru");
    assert_int_equal(p->status, DL_MP_RAN);
    assert_int_equal(p->slot, DL_SLOT_CALLBACK);
    assert_int_equal(p->raised, 0);
    assert_string_equal(p->input, "1");
    assert_int_equal(p->in_kind, DL_INT);
    assert_string_equal(p->output, "<Deferred d#2>");
    assert_int_equal(p->out_kind, DL_DEFERRED);
    p = dl_model_pair_at(d, 1);
    assert_string_equal(p->cb, "after");
    assert_string_equal(p->eb, "after_eb");
    assert_int_equal(p->status, DL_MP_PENDING);
    assert_int_equal(p->slot, -1);
    const dl_model_deferred *i = get_d(m, in);
    dl_model_deferred_name(i, name, sizeof name);
    assert_string_equal(name, "d#2");
    assert_int_equal(i->state, DL_MD_UNFIRED);
    assert_null(i->result);
    assert_int_equal(dl_model_pair_count(i), 2);
    p = dl_model_pair_at(i, 1);
    assert_int_equal(p->index, 2);
    assert_int_equal(p->cont, o);
    assert_string_equal(p->cb, "continue");
    assert_int_equal(p->status, DL_MP_PENDING);

    /* Inner hands its result over: outer resumes on the callback track. */
    int64_t h = find_event(m, DL_EV_HANDOFF, o, 0);
    assert_int_equal(dl_model_seek(m, h), 0);
    d = get_d(m, o);
    i = get_d(m, in);
    assert_int_equal(d->state, DL_MD_SUCCESS);
    assert_int_equal(d->waiting_on, 0);
    assert_string_equal(d->result, "42");
    assert_int_equal(d->paused, 1); /* the unpause is the next event */
    assert_int_equal(i->state, DL_MD_SUCCESS);
    assert_string_equal(i->result, "nil");
    p = dl_model_pair_at(i, 0);
    assert_int_equal(p->status, DL_MP_RAN);
    assert_string_equal(p->input, "\"x\"");
    assert_string_equal(p->output, "42");
    p = dl_model_pair_at(i, 1);
    assert_int_equal(p->status, DL_MP_RAN);
    assert_int_equal(p->slot, DL_SLOT_CALLBACK);
    assert_string_equal(p->input, "42");

    /* The end. Then one step back from the end is the state before it. */
    assert_int_equal(dl_model_seek(m, (int64_t)dl_model_len(m) - 1), 0);
    d = get_d(m, o);
    assert_int_equal(d->paused, 0);
    p = dl_model_pair_at(d, 1);
    assert_int_equal(p->status, DL_MP_RAN);
    assert_string_equal(p->input, "42");
    assert_string_equal(p->output, "42");
    assert_int_equal(dl_model_seek(m, (int64_t)dl_model_len(m) - 2), 0);
    assert_int_equal(dl_model_pair_at(get_d(m, o), 1)->status, DL_MP_RUNNING);

    assert_int_equal(dl_model_seek(m, (int64_t)dl_model_len(m)), DL_EINVAL);
    assert_int_equal(dl_model_seek(m, -2), DL_EINVAL);
    dl_deferred_release(outer);
    dl_deferred_release(inner);
    dl_model_free(m);
}

/* ---- exact state: cancel, chainDeferred, an unhandled failure ----------- */

static void exact_cancel_chain_unhandled(void **state)
{
    (void)state;
    dl_model *m = live_model();
    dl_deferred *c = dl_deferred_new(E, canceller_log("stop"));
    dl_deferred_pause(c);
    dl_deferred_cancel(c);
    dl_deferred *a = D("a"), *b = D("b");
    dl_deferred_chain(a, b);
    dl_deferred_callback(a, I(7));
    dl_deferred *lost = D("lost");
    dl_deferred_errback(lost, F(&dl_type_ValueError, "nobody"));
    uint32_t cid = c->hdr.id, aid = a->hdr.id, bid = b->hdr.id, lid = lost->hdr.id;
    dl_deferred_release(lost);
    dl_engine_observe(E, NULL, NULL);

    const dl_model_deferred *d = get_d(m, cid);
    assert_true(d->cancelled);
    assert_string_equal(d->canceller, "stop");
    assert_int_equal(d->state, DL_MD_FAILURE);
    assert_int_equal(d->paused, 1);
    assert_string_equal(d->result, "Failure(CancelledError)");
    assert_int_equal(d->result_kind, DL_FAILURE);

    d = get_d(m, aid);
    assert_int_equal(dl_model_chained_count(d), 1);
    assert_int_equal(dl_model_chained_at(d, 0), bid);
    assert_string_equal(d->result, "nil"); /* Twisted: the chaining callback returns None */
    const dl_model_pair *p = dl_model_pair_at(d, 0);
    assert_string_equal(p->cb, "b.callback");
    assert_string_equal(p->eb, "b.errback");
    assert_string_equal(p->input, "7");
    d = get_d(m, bid);
    assert_int_equal(d->chained_from, aid);
    assert_int_equal(d->state, DL_MD_SUCCESS);
    assert_string_equal(d->result, "7");

    d = get_d(m, lid);
    assert_true(d->unhandled);
    assert_string_equal(d->unhandled_repr, "Failure(ValueError: nobody)");
    /* One step before the report it was not unhandled yet. */
    int64_t u = find_event(m, DL_EV_UNHANDLED, lid, 0);
    assert_int_equal(u, (int64_t)dl_model_len(m) - 1);
    assert_int_equal(dl_model_seek(m, u - 1), 0);
    assert_false(get_d(m, lid)->unhandled);
    assert_int_equal(get_d(m, lid)->state, DL_MD_FAILURE);

    dl_deferred_release(a);
    dl_deferred_release(b);
    dl_deferred_release(c);
    dl_model_free(m);
}

/* ---- structures, delayed calls, output and notes from records ----------- */

static void feed(dl_model *m, dl_trace_rec r)
{
    static uint64_t seq;
    r.seq = seq++;
    if (!r.kind_name) r.kind_name = dl_event_wire_name((dl_event_kind)r.kind);
    assert_int_equal(dl_model_feed(m, &r), 0);
}

#define REC(...) ((dl_trace_rec){.slot = -1, .vkind = -1, __VA_ARGS__})

static void structures_calls_output(void **state)
{
    (void)state;
    dl_model *m = dl_model_new();
    uint32_t ids[] = {7, 9};
    dl_trace_kv kv1[] = {{"pending", "{}", NULL, 0},
                         {"waiting", "{<Deferred d#7>, <Deferred d#9>}", ids, 2}};
    dl_trace_kv kv2[] = {{"pending", "{1}", NULL, 0}};
    feed(m, REC(.kind = DL_EV_STATE, .d = 3, .text = "DeferredQueue", .name = "jobs", .state = kv1,
                .nstate = 2));
    feed(m, REC(.kind = DL_EV_OUTPUT, .text = "hello"));
    feed(m, REC(.kind = DL_EV_CALL_SCHEDULED, .d = 1, .other = 4, .num = 2.5, .has = DL_REC_NUM,
                .name = "tick"));
    feed(m, REC(.kind = DL_EV_CALL_SCHEDULED, .d = 1, .other = 5, .num = 3, .has = DL_REC_NUM,
                .name = "tock"));
    feed(m, REC(.kind = DL_EV_NOTE, .text = "a note"));
    feed(m, REC(.kind = DL_EV_CLOCK_ADVANCE, .d = 1, .num = 2.5, .has = DL_REC_NUM, .t = 2.5));
    feed(m, REC(.kind = DL_EV_CALL_RAN, .d = 1, .other = 4, .t = 2.5));
    feed(m, REC(.kind = DL_EV_CALL_MOVED, .d = 1, .other = 5, .num = 9, .t = 2.5));
    feed(m, REC(.kind = DL_EV_STATE, .d = 3, .text = "DeferredQueue", .state = kv2, .nstate = 1,
                .t = 2.5));
    feed(m, REC(.kind = DL_EV_CALL_CANCELLED, .d = 1, .other = 5, .t = 2.5));
    feed(m, REC(.kind = DL_EV_OUTPUT, .text = "bye", .t = 2.5));
    feed(m, REC(.kind = DL_EV_CELL, .count = 2, .has = DL_REC_COUNT, .file = "l.md", .line = 9));
    assert_int_equal(dl_model_cursor(m), 11);
    int64_t cell_at = 0;
    assert_int_equal(dl_model_cell(m, &cell_at), 2);
    assert_int_equal(cell_at, 11);

    assert_int_equal(dl_model_seek(m, 4), 0);
    assert_true(dl_model_clock(m) == 0);
    assert_int_equal(dl_model_structure_count(m), 1);
    const dl_model_structure *s = dl_model_find_structure(m, 3);
    assert_non_null(s);
    assert_string_equal(s->cls, "DeferredQueue");
    assert_string_equal(s->label, "jobs");
    assert_int_equal(s->nkv, 2);
    assert_string_equal(s->kv[1].key, "waiting");
    assert_int_equal(s->kv[1].ids[1], 9);
    assert_int_equal(dl_model_call_count(m), 2);
    const dl_model_call *c = dl_model_call_at(m, 0);
    assert_int_equal(c->id, 4);
    assert_int_equal(c->clock, 1);
    assert_true(c->time == 2.5);
    assert_string_equal(c->name, "tick");
    assert_int_equal(c->status, DL_MC_SCHEDULED);
    int64_t at = -1;
    assert_int_equal(dl_model_output_count(m), 1);
    assert_string_equal(dl_model_output_at(m, 0, &at), "hello");
    assert_int_equal(at, 1);
    assert_null(dl_model_output_at(m, 1, NULL));
    assert_int_equal(dl_model_note_count(m), 1);
    assert_string_equal(dl_model_note_at(m, 0, &at), "a note");

    assert_int_equal(dl_model_seek(m, 10), 0);
    assert_int_equal(dl_model_cell(m, &cell_at), 0);
    assert_int_equal(cell_at, -1);
    assert_true(dl_model_clock(m) == 2.5);
    assert_true(dl_model_time(m) == 2.5);
    s = dl_model_structure_at(m, 0);
    assert_null(s->label);
    assert_int_equal(s->nkv, 1);
    assert_string_equal(s->kv[0].repr, "{1}");
    assert_int_equal(s->created_at, 0);
    assert_int_equal(s->changed_at, 8);
    assert_int_equal(dl_model_call_at(m, 0)->status, DL_MC_RAN);
    assert_int_equal(dl_model_call_at(m, 1)->status, DL_MC_CANCELLED);
    assert_true(dl_model_call_at(m, 1)->time == 9);
    assert_int_equal(dl_model_output_count(m), 2);

    assert_int_equal(dl_model_seek(m, 0), 0);
    assert_int_equal(dl_model_call_count(m), 0);
    assert_int_equal(dl_model_output_count(m), 0);
    assert_string_equal(dl_model_structure_at(m, 0)->label, "jobs");
    char *dump = dl_model_dump(m);
    assert_string_equal(dump, "cursor 0 t=0 clock=0\n"
                              "structure 3 class=DeferredQueue label=jobs created=0 changed=0\n"
                              "  pending = {} ids=[]\n"
                              "  waiting = {<Deferred d#7>, <Deferred d#9>} ids=[7,9]\n");
    free(dump);
    dl_model_free(m);
}

/* ---- seeking over a long trace ------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Drive the engine until it has emitted at least n events: chains with
 * errbacks, returned Deferreds fired later, pauses, cancels, a queue. */
static void generate(size_t n)
{
    enum { KEEP = 64 };
    dl_deferred *pending[KEEP] = {0};
    dl_deferred **all = NULL;
    size_t nall = 0, cap = 0;
    dl_queue *q = dl_queue_new(E, -1, -1);
    dl_value bad = dl_fail_value(&dl_type_ValueError, "bad");
    char label[32];
    for (uint32_t k = 0; E->seq < n; k++) {
        snprintf(label, sizeof label, "g%u", k);
        dl_deferred *d = rnd(4) ? D(label) : dl_deferred_new(E, dl_passthru());
        if (nall == cap) {
            cap = cap ? cap * 2 : 1024;
            all = realloc(all, cap * sizeof *all);
            assert_non_null(all);
        }
        all[nall++] = d;
        uint32_t pairs = 1 + rnd(6);
        for (uint32_t j = 0; j < pairs; j++) {
            switch (rnd(6)) {
            case 0:
                dl_deferred_add_callback(d, cb_raise("boom", &dl_type_KeyError, "k"));
                break;
            case 1:
                dl_deferred_add_errback(d, cb_ret("recover", I(j)));
                break;
            case 2: {
                dl_deferred *r = dl_deferred_new(E, dl_passthru());
                dl_deferred_add_callback(d, cb_defer("wait", r));
                uint32_t slot = rnd(KEEP);
                if (pending[slot]) {
                    dl_deferred_callback(pending[slot], I(k));
                    dl_deferred_release(pending[slot]);
                }
                pending[slot] = r;
                break;
            }
            case 3:
                dl_deferred_add_callbacks(d, cb_log("both"), cb_log("both_eb"));
                break;
            default:
                dl_deferred_add_callback(d, cb_ret("add", I(k + j)));
            }
        }
        switch (rnd(8)) {
        case 0:
            dl_deferred_errback(d, bad);
            break;
        case 1:
            dl_deferred_cancel(d);
            break;
        case 2:
            dl_deferred_pause(d);
            dl_deferred_callback(d, I(k));
            dl_deferred_unpause(d);
            break;
        case 3: {
            dl_deferred *g = NULL;
            if (rnd(2))
                dl_queue_put(q, I(k));
            else if (dl_queue_get(q, &g) == 0)
                dl_deferred_release(g);
            dl_deferred_callback(d, I(k));
            break;
        }
        default:
            dl_deferred_callback(d, I(k));
        }
        if (k % 97 == 0) dl_engine_emit_text(E, DL_EV_OUTPUT, label);
        if (nall > 2000) { /* let old ones go (some report unhandled errors) */
            dl_deferred_release(all[0]);
            memmove(all, all + 1, --nall * sizeof *all);
        }
        clear_log();
    }
    for (size_t j = 0; j < KEEP; j++)
        if (pending[j]) dl_deferred_release(pending[j]);
    for (size_t j = 0; j < nall; j++)
        dl_deferred_release(all[j]);
    free(all);
    dl_obj_release(q);
    dl_release(bad);
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static uint64_t dump_hash(dl_model *m, int64_t i)
{
    assert_int_equal(dl_model_seek(m, i), 0);
    assert_int_equal(dl_model_cursor(m), i);
    char *s = dl_model_dump(m);
    assert_non_null(s);
    uint64_t h = fnv(s);
    free(s);
    return h;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void random_seeks(void **state)
{
    (void)state;
    dl_model *live = live_model();
    generate(200000);
    dl_engine_free(E); /* reports what is left, still observed */
    E = NULL;
    assert_int_equal(dl_model_error(live), 0);
    size_t n = dl_model_len(live);
    assert_true(n >= 200000);
    assert_int_equal(dl_model_cursor(live), (int64_t)n - 1);

    /* A second model over a copy of the log, only ever folded forwards. */
    dl_trace *copy = dl_trace_new();
    for (size_t i = 0; i < n; i++)
        assert_int_equal(dl_trace_append(copy, dl_model_event(live, i)), 0);
    dl_model *seq = dl_model_new_from_trace(copy);

    enum { SAMPLES = 40 };
    int64_t at[SAMPLES] = {-1,
                           0,
                           1,
                           DL_MODEL_SNAPSHOT_EVERY - 2,
                           DL_MODEL_SNAPSHOT_EVERY - 1,
                           DL_MODEL_SNAPSHOT_EVERY,
                           (int64_t)n - 2,
                           (int64_t)n - 1};
    for (int k = 8; k < SAMPLES; k += 2) {
        at[k] = (int64_t)rnd((uint32_t)n);
        at[k + 1] = at[k] > 0 ? at[k] - 1 : at[k]; /* a step backwards */
    }
    qsort(at, SAMPLES, sizeof at[0], cmp_i64);
    uint64_t want[SAMPLES];
    for (int k = 0; k < SAMPLES; k++)
        want[k] = dump_hash(seq, at[k]);

    /* Random order on the live model: backwards and forwards jumps. */
    double t0 = now_s();
    for (int round = 0; round < 3 * SAMPLES; round++) {
        int k = (int)rnd(SAMPLES);
        if (dump_hash(live, at[k]) != want[k])
            fail_msg("state after event %lld differs from the sequential fold", (long long)at[k]);
    }
    double t1 = now_s();
    /* Pure seek time (no dumps) for the report. */
    for (int round = 0; round < 1000; round++)
        assert_int_equal(dl_model_seek(live, (int64_t)rnd((uint32_t)n)), 0);
    double t2 = now_s();
    print_message("model: %zu events, %zu deferreds at the end; random seek %.1f us "
                  "(%.1f ms with dump)\n",
                  n, dl_model_deferred_count(live), (t2 - t1) / 1000 * 1e6,
                  (t1 - t0) / (3 * SAMPLES) * 1e3);
    dl_model_free(seq);
    dl_model_free(live);
}

/* A live model keeps following while the cursor is at the end, and stays
 * put (the log still grows) after stepping back. */
static void live_follow(void **state)
{
    (void)state;
    dl_model *m = live_model();
    dl_deferred *d = D("d");
    assert_int_equal(dl_model_cursor(m), 1);
    assert_int_equal(dl_model_seek(m, 0), 0);
    dl_deferred_add_callback(d, cb_log("f"));
    assert_int_equal(dl_model_cursor(m), 0);
    assert_int_equal(dl_model_len(m), 3);
    assert_null(get_d(m, d->hdr.id)->label);
    assert_int_equal(dl_model_seek(m, 2), 0);
    assert_int_equal(dl_model_pair_count(get_d(m, d->hdr.id)), 1);
    dl_deferred_callback(d, I(3));
    assert_int_equal(dl_model_cursor(m), (int64_t)dl_model_len(m) - 1);
    assert_string_equal(get_d(m, d->hdr.id)->result, "3");
    dl_engine_observe(E, NULL, NULL);
    dl_deferred_release(d);
    dl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(exact_returned_deferred, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(exact_cancel_chain_unhandled, setup_engine,
                                        teardown_engine),
        cmocka_unit_test(structures_calls_output),
        cmocka_unit_test_setup_teardown(live_follow, setup_engine, teardown_engine),
        cmocka_unit_test_setup_teardown(random_seeks, setup_engine, teardown_engine),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
