/* work.c - the learner's working copies (see work.h). */
#include "lesson/work.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/progress.h"

int dl_work_path(const char *id, char *buf, size_t n)
{
    char progress[PATH_MAX];
    if (dl_progress_default_path(progress, sizeof progress) != 0) return -1;
    char *slash = strrchr(progress, '/');
    *slash = '\0';
    snprintf(buf, n, "%s/work/%s.lua", progress, id);
    return 0;
}

static int mkdirs(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *s = dir + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int dl_work_ensure(const dl_challenge *c, const char *path, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdirs(dir) != 0) {
            snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
            return -1;
        }
    }
    /* An existing file is the learner's work and is never touched. The
     * starter is written to a temp file first and linked into place (link
     * never replaces a file), so a kill -9 mid-write cannot leave a half
     * written copy that would then count as the learner's work. */
    if (access(path, F_OK) == 0) return 0;
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    size_t len = strlen(c->starter);
    bool ok = write(fd, c->starter, len) == (ssize_t)len &&
              (len == 0 || c->starter[len - 1] == '\n' || write(fd, "\n", 1) == 1) &&
              fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (link(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        if (e == EEXIST) return 0; /* created meanwhile: theirs wins */
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(e));
        return -1;
    }
    unlink(tmp);
    return 1;
}

void dl_work_solution_path(const dl_challenge *c, char *buf, size_t n)
{
    /* ROOT/challenges/x.md -> ROOT/solutions/x.lua */
    const char *path = c->doc->path;
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(buf, n, "../solutions/%s.lua", c->id);
        return;
    }
    const char *up = slash;
    while (up > path && up[-1] != '/')
        up--;
    if (up == path)
        snprintf(buf, n, "solutions/%s.lua", c->id); /* challenges/x.md */
    else
        snprintf(buf, n, "%.*ssolutions/%s.lua", (int)(up - path), path, c->id);
}
