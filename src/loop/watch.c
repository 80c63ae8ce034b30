/* watch.c - a file watcher that notices its own failure (see watch.h). */
#include "loop/watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

/* What "the file changed" means: any of these differs. */
typedef struct file_sig {
    bool exists;
    long long mtime_ns;
    long long size;
    unsigned long long ino;
} file_sig;

struct dl_watch {
    uv_fs_event_t events; /* on the folder */
    uv_fs_poll_t poll;    /* after the fallback */
    uv_timer_t debounce;
    uv_timer_t verify; /* the self-check */
    dl_watch_handlers h;
    dl_watch_opts o;
    dl_watch_mode mode;
    char *path, *dir;
    const char *base; /* points into path */
    file_sig known;   /* the file as of the last report (or the start) */
    file_sig suspect; /* a change the self-check saw without an event */
    bool have_suspect;
    unsigned long nevents; /* events for the file received so far */
    unsigned long events_at_suspect;
    bool drop;     /* test hook */
    bool announce; /* report the polling mode at the next verify tick */
    char why[256];
    int open_handles; /* closed one by one; the last close frees */
};

static file_sig stat_sig(const char *path)
{
    file_sig s = {0};
    struct stat st;
    if (stat(path, &st) != 0) return s;
    s.exists = true;
    s.mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    s.size = (long long)st.st_size;
    s.ino = (unsigned long long)st.st_ino;
    return s;
}

static bool same_sig(const file_sig *a, const file_sig *b)
{
    return a->exists == b->exists && a->mtime_ns == b->mtime_ns && a->size == b->size &&
           a->ino == b->ino;
}

static void on_debounce(uv_timer_t *t)
{
    dl_watch *w = t->data;
    file_sig now = stat_sig(w->path);
    w->known = now;
    w->have_suspect = false;
    /* A save by rename has a moment with no file: its reappearance is
     * another event. A deleted file is no change to check. */
    if (now.exists && w->h.on_change) w->h.on_change(w->h.ud);
}

/* Something happened to the file: (re)start the quiet period. */
static void bump(dl_watch *w)
{
    uv_timer_start(&w->debounce, on_debounce, w->o.debounce_ms, 0);
}

static void on_poll(uv_fs_poll_t *p, int status, const uv_stat_t *prev, const uv_stat_t *curr)
{
    dl_watch *w = p->data;
    (void)status;
    (void)prev;
    (void)curr;
    bump(w);
}

/* Switch to polling for good, saying why. */
static void fall_back(dl_watch *w, const char *why)
{
    if (w->mode == DL_WATCH_POLLING) return;
    w->mode = DL_WATCH_POLLING;
    snprintf(w->why, sizeof w->why, "%s", why);
    uv_timer_stop(&w->verify);
    if (uv_is_active((uv_handle_t *)&w->events)) uv_fs_event_stop(&w->events);
    uv_fs_poll_start(&w->poll, on_poll, w->path, w->o.poll_ms);
    if (w->h.on_mode) w->h.on_mode(w->h.ud, DL_WATCH_POLLING, w->why);
}

static void on_fs_event(uv_fs_event_t *e, const char *filename, int events, int status)
{
    dl_watch *w = e->data;
    (void)events;
    if (w->drop) return;
    if (status < 0) {
        char why[200];
        snprintf(why, sizeof why, "file events failed (%s): polling every %u ms",
                 uv_strerror(status), w->o.poll_ms);
        fall_back(w, why);
        bump(w);
        return;
    }
    if (filename && strcmp(filename, w->base) != 0) return;
    w->nevents++;
    bump(w);
}

/* The self-check: a change with no event by the next tick means events
 * are not arriving. One tick of grace covers an event still in flight. */
static void on_verify(uv_timer_t *t)
{
    dl_watch *w = t->data;
    if (w->announce) {
        w->announce = false;
        uv_timer_stop(t);
        if (w->h.on_mode) w->h.on_mode(w->h.ud, DL_WATCH_POLLING, w->why);
        return;
    }
    if (w->mode != DL_WATCH_EVENTS || uv_is_active((uv_handle_t *)&w->debounce)) return;
    file_sig now = stat_sig(w->path);
    if (same_sig(&now, &w->known)) {
        w->have_suspect = false;
        return;
    }
    if (!w->have_suspect || w->nevents != w->events_at_suspect) {
        w->suspect = now;
        w->have_suspect = true;
        w->events_at_suspect = w->nevents;
        return;
    }
    char why[200];
    snprintf(why, sizeof why, "a save went unnoticed by file events: polling every %u ms",
             w->o.poll_ms);
    fall_back(w, why);
    bump(w); /* report the change that was missed */
}

static void on_close(uv_handle_t *h)
{
    dl_watch *w = h->data;
    if (--w->open_handles > 0) return;
    free(w->path);
    free(w->dir);
    free(w);
}

dl_watch *dl_watch_new(dl_loop *loop, const char *path, const dl_watch_handlers *h,
                       const dl_watch_opts *opts, char *err, size_t errlen)
{
    uv_loop_t *uv = dl__loop_uv(loop);
    dl_watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->h = *h;
    if (opts) w->o = *opts;
    if (!w->o.debounce_ms) w->o.debounce_ms = 200;
    if (!w->o.verify_ms) w->o.verify_ms = 1000;
    if (!w->o.poll_ms) w->o.poll_ms = 500;
    w->path = strdup(path);
    w->dir = strdup(path);
    if (!w->path || !w->dir) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    char *slash = strrchr(w->dir, '/');
    const char *pslash = strrchr(w->path, '/');
    w->base = pslash ? pslash + 1 : w->path;
    if (!slash)
        strcpy(w->dir, ".");
    else if (slash == w->dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    struct stat st;
    errno = 0;
    if (stat(w->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: cannot watch: %s", w->dir,
                 errno ? strerror(errno) : "not a folder");
        goto fail;
    }
    w->known = stat_sig(w->path);
    uv_fs_event_init(uv, &w->events);
    uv_fs_poll_init(uv, &w->poll);
    uv_timer_init(uv, &w->debounce);
    uv_timer_init(uv, &w->verify);
    w->events.data = w->poll.data = w->debounce.data = w->verify.data = w;
    w->open_handles = 4;
    int rc = uv_fs_event_start(&w->events, on_fs_event, w->dir, 0);
    if (rc != 0) {
        w->mode = DL_WATCH_POLLING;
        snprintf(w->why, sizeof w->why, "file events unavailable (%s): polling every %u ms",
                 uv_strerror(rc), w->o.poll_ms);
        uv_fs_poll_start(&w->poll, on_poll, w->path, w->o.poll_ms);
        w->announce = true;
        uv_timer_start(&w->verify, on_verify, 0, 0);
    } else {
        uv_timer_start(&w->verify, on_verify, w->o.verify_ms, w->o.verify_ms);
    }
    return w;
fail:
    free(w->path);
    free(w->dir);
    free(w);
    return NULL;
}

dl_watch_mode dl_watch_get_mode(const dl_watch *w)
{
    return w->mode;
}

void dl__watch_drop_events(dl_watch *w, bool on)
{
    w->drop = on;
}

void dl_watch_free(dl_watch *w)
{
    if (!w) return;
    uv_close((uv_handle_t *)&w->events, on_close);
    uv_close((uv_handle_t *)&w->poll, on_close);
    uv_close((uv_handle_t *)&w->debounce, on_close);
    uv_close((uv_handle_t *)&w->verify, on_close);
}
