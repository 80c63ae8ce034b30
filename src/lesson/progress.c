/* progress.c - the learner's progress file. */
#include "lesson/progress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int dl_progress_default_path(char *buf, size_t n)
{
    const char *state = getenv("XDG_STATE_HOME");
    if (state && state[0] == '/') {
        snprintf(buf, n, "%s/deferlab/progress", state);
        return 0;
    }
    const char *home = getenv("HOME");
    if (!home || !home[0]) return -1;
    snprintf(buf, n, "%s/.local/state/deferlab/progress", home);
    return 0;
}

static dl_progress_item *find_or_add(dl_progress_item **items, size_t *len, const char *id)
{
    for (size_t i = 0; i < *len; i++)
        if (strcmp((*items)[i].id, id) == 0) return &(*items)[i];
    dl_progress_item *n = realloc(*items, (*len + 1) * sizeof *n);
    if (!n) return NULL;
    *items = n;
    dl_progress_item *it = &n[*len];
    memset(it, 0, sizeof *it);
    it->position = -1;
    it->id = strdup(id);
    if (!it->id) return NULL;
    (*len)++;
    return it;
}

dl_progress_item *dl_progress_lesson(dl_progress *p, const char *id)
{
    return find_or_add(&p->lessons, &p->nlessons, id);
}

dl_progress_item *dl_progress_challenge(dl_progress *p, const char *id)
{
    return find_or_add(&p->challenges, &p->nchallenges, id);
}

int dl_progress_set_current(dl_progress *p, const char *id)
{
    char *c = id ? strdup(id) : NULL;
    if (id && !c) return -1;
    free(p->current);
    p->current = c;
    return 0;
}

static void free_items(dl_progress_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].id);
    free(items);
}

void dl_progress_free(dl_progress *p)
{
    free(p->path);
    free(p->current);
    free_items(p->lessons, p->nlessons);
    free_items(p->challenges, p->nchallenges);
    memset(p, 0, sizeof *p);
}

/* An id is a lesson or challenge file name: letters, digits, '-', '_', '.'. */
static bool valid_id(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

/* Parse one line; returns NULL or the reason it is not understood. */
static const char *parse_line(dl_progress *p, char *line)
{
    char *words[8];
    int nw = 0;
    for (char *tok = strtok(line, " \t\r"); tok && nw < 8; tok = strtok(NULL, " \t\r"))
        words[nw++] = tok;
    if (nw == 0 || words[0][0] == '#') return NULL;
    if (strcmp(words[0], "version") == 0) {
        if (nw != 2 || strcmp(words[1], "1") != 0) return "unsupported version";
        return NULL;
    }
    if (strcmp(words[0], "current") == 0) {
        if (nw != 2 || !valid_id(words[1])) return "expected `current <lesson-id>`";
        return dl_progress_set_current(p, words[1]) ? "out of memory" : NULL;
    }
    bool lesson = strcmp(words[0], "lesson") == 0;
    if (!lesson && strcmp(words[0], "challenge") != 0) return "unknown line";
    if (nw < 2 || !valid_id(words[1])) return "expected an id";
    dl_progress_item *it =
        lesson ? dl_progress_lesson(p, words[1]) : dl_progress_challenge(p, words[1]);
    if (!it) return "out of memory";
    for (int i = 2; i < nw; i++) {
        char *end;
        if (strcmp(words[i], "done") == 0 || strcmp(words[i], "passed") == 0) {
            it->done = true;
        } else if (strcmp(words[i], "revealed") == 0) {
            it->revealed = true;
        } else if ((strcmp(words[i], "at") == 0 || strcmp(words[i], "hints") == 0) && i + 1 < nw) {
            long v = strtol(words[i + 1], &end, 10);
            if (*end || v < 0 || v > 1000000000L) return "expected a number";
            if (words[i][0] == 'a')
                it->position = v;
            else
                it->hints = (int)v;
            i++;
        } else {
            return "unknown word";
        }
    }
    return NULL;
}

int dl_progress_load(dl_progress *p, const char *path, char *msg, size_t n)
{
    memset(p, 0, sizeof *p);
    p->path = strdup(path);
    if (!p->path) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return 0;
        snprintf(msg, n, "%s: cannot read progress: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0;
    const char *why = NULL;
    while (!why && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n')
            why = "line too long";
        else if (memchr(line, '\0', len) != NULL && len + 1 < sizeof line)
            why = "binary data";
        else {
            if (len && line[len - 1] == '\n') line[len - 1] = '\0';
            why = parse_line(p, line);
        }
    }
    int rerr = ferror(f) ? errno : 0; /* a folder named progress opens but does not read */
    fclose(f);
    if (rerr) {
        snprintf(msg, n, "%s: cannot read progress: %s", path, strerror(rerr));
        return -1;
    }
    if (!why) return 0;
    /* Keep the bad file for the learner; never silently reset. link() never
     * replaces an existing file, so a second corrupt file in the same second
     * gets its own name instead of overwriting the first. */
    char aside[4096];
    int moved = -1;
    for (int k = 0; k < 100 && moved != 0; k++) {
        if (k == 0)
            snprintf(aside, sizeof aside, "%s.corrupt-%ld", path, (long)time(NULL));
        else
            snprintf(aside, sizeof aside, "%s.corrupt-%ld-%d", path, (long)time(NULL), k);
        if (link(path, aside) == 0)
            moved = unlink(path);
        else if (errno != EEXIST && access(aside, F_OK) != 0)
            moved = rename(path, aside);
    }
    snprintf(msg, n, "%s:%d: progress file not understood (%s); %s", path, lineno, why,
             moved == 0 ? "kept it as " : "could not move it aside");
    if (moved == 0) {
        size_t used = strlen(msg);
        snprintf(msg + used, n > used ? n - used : 0, "%s; starting with empty progress", aside);
    }
    char *keep = p->path;
    p->path = NULL;
    dl_progress_free(p);
    p->path = keep;
    return 1;
}

static int mkdirs(char *dir)
{
    for (char *s = dir + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static void write_items(FILE *f, const char *kind, const dl_progress_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const dl_progress_item *it = &items[i];
        fprintf(f, "%s %s", kind, it->id);
        if (it->done) fprintf(f, " %s", kind[0] == 'l' ? "done" : "passed");
        if (it->position >= 0) fprintf(f, " at %ld", it->position);
        if (it->hints) fprintf(f, " hints %d", it->hints);
        if (it->revealed) fprintf(f, " revealed");
        fputc('\n', f);
    }
}

/* Remove "<file>.tmp-<pid>" left beside path by a save that was killed
 * between writing and renaming (kill -9, power loss): the pid no longer
 * runs. A live pid may be another workbench saving right now; its file
 * stays. Best effort: nothing here can fail a save. */
static void sweep_stale_tmp(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    char prefix[512];
    int plen = snprintf(prefix, sizeof prefix, "%s.tmp-", base);
    if (plen <= 0 || (size_t)plen >= sizeof prefix) return;
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)plen) != 0) continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        char stale[4700];
        snprintf(stale, sizeof stale, "%s/%s", dir, e->d_name);
        unlink(stale);
    }
    closedir(d);
}

int dl_progress_save(const dl_progress *p, char *msg, size_t n)
{
    char dir[4096], tmp[4200];
    snprintf(dir, sizeof dir, "%s", p->path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdirs(dir) != 0) {
            snprintf(msg, n, "%s: cannot create folder: %s", dir, strerror(errno));
            return -1;
        }
    }
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", p->path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(msg, n, "%s: cannot write progress: %s", tmp, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    fprintf(f, "# deferlab progress - one fact per line; safe to read, careful to edit\n");
    fprintf(f, "version 1\n");
    if (p->current) fprintf(f, "current %s\n", p->current);
    write_items(f, "lesson", p->lessons, p->nlessons);
    write_items(f, "challenge", p->challenges, p->nchallenges);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, p->path) != 0) {
        snprintf(msg, n, "%s: cannot save progress: %s", p->path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    sweep_stale_tmp(p->path);
    return 0;
}
