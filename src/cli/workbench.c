/* workbench.c - options shared by the TUI subcommands, then the TUI. */
#include "cli/workbench.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tui/tui.h"

static const char usage[] =
    "usage: deferlab [learn ID|FILE | challenge ID|FILE | replay TRACE.jsonl | repl] [options]\n"
    "  --color=auto|always|never   colours (NO_COLOR in the environment means never)\n"
    "  --theme=dark|light|mono\n"
    "  --lessons=DIR               where the lessons are (default: ./lessons)\n"
    "  --challenges=DIR            where the challenges are (default: ./challenges)\n"
    "  --progress=FILE             progress file (default: $XDG_STATE_HOME/deferlab/progress)\n"
    "  --semantics=twisted|proposed  chainDeferred semantics to start with\n";

/* A content folder: ./NAME when it exists, else the installed copy. */
static const char *default_dir(const char *name, const char *installed)
{
    struct stat st;
    if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) return name;
    return installed ? installed : name;
}

#ifdef DL_DATADIR
#define INSTALLED(sub) DL_DATADIR "/" sub
#else
#define INSTALLED(sub) NULL
#endif

static const char *opt_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) == 0 && arg[n] == '=') return arg + n + 1;
    return NULL;
}

int dl_cli_workbench(int argc, char **argv)
{
    dl_tui_opts o = {0};
    o.lessons_dir = default_dir("lessons", INSTALLED("lessons"));
    o.challenges_dir = default_dir("challenges", INSTALLED("challenges"));
    const char *cmd = argv[0];
    const char *target = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if ((v = opt_value(a, "--color"))) {
            if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) goto bad;
            o.color = v;
        } else if ((v = opt_value(a, "--theme"))) {
            if (strcmp(v, "dark") && strcmp(v, "light") && strcmp(v, "mono")) goto bad;
            o.theme = v;
        } else if ((v = opt_value(a, "--lessons"))) {
            o.lessons_dir = v;
        } else if ((v = opt_value(a, "--challenges"))) {
            o.challenges_dir = v;
        } else if ((v = opt_value(a, "--progress"))) {
            o.progress = v;
        } else if ((v = opt_value(a, "--semantics"))) {
            if (strcmp(v, "twisted") == 0)
                o.semantics = DL_SEMANTICS_TWISTED;
            else if (strcmp(v, "proposed") == 0)
                o.semantics = DL_SEMANTICS_PROPOSED;
            else
                goto bad;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (a[0] == '-' || target) {
            goto bad;
        } else {
            target = a;
        }
    }
    if (strcmp(cmd, "learn") == 0) {
        if (!target) {
            fprintf(stderr, "deferlab learn: which lesson? (an id like 04, or a file)\n%s", usage);
            return 2;
        }
        return dl_tui_learn(&o, target);
    }
    if (strcmp(cmd, "challenge") == 0) {
        if (!target) {
            fprintf(stderr, "deferlab challenge: which one? (an id like 07, or a file)\n%s", usage);
            return 2;
        }
        return dl_tui_challenge(&o, target);
    }
    if (strcmp(cmd, "replay") == 0) {
        if (!target) {
            fprintf(stderr, "deferlab replay: which trace file?\n%s", usage);
            return 2;
        }
        return dl_tui_replay(&o, target);
    }
    if (target) goto bad;
    if (strcmp(cmd, "repl") == 0) return dl_tui_repl(&o);
    return dl_tui_home(&o);
bad:
    fprintf(stderr, "deferlab %s: bad argument\n%s", cmd, usage);
    return 2;
}
