/* help.c - the overview, one page per subcommand, and the version.
 *
 * Each page is a description written here followed by the subcommand's own
 * usage text (it prints it for --help), so the options are listed in one
 * place only: next to the code that parses them.
 */
#include "cli/help.h"

#include <stdio.h>
#include <string.h>

#include "cli/challenges.h"
#include "cli/cli.h"
#include "cli/export.h"
#include "cli/workbench.h"

typedef int (*usage_fn)(int argc, char **argv);

static int workbench_usage(int argc, char **argv)
{
    (void)argc;
    char *args[] = {argv[0], (char *)"--help"};
    return dl_cli_workbench(2, args);
}

static int own_usage(usage_fn fn)
{
    char *args[] = {(char *)"--help"};
    return fn(1, args);
}

typedef struct page {
    const char *name;
    const char *summary; /* one line for the overview */
    const char *text;    /* what it does, printed before the options */
    usage_fn usage;      /* prints the options (called with --help) */
    int workbench;       /* usage is the workbench's (argv[0] = name) */
} page;

static const page pages[] = {
    {"learn", "open a lesson in the workbench (an id like 04, or a file)",
     "deferlab learn ID|FILE\n\n"
     "Opens a lesson in the workbench: prose on the left, the code and the two-track diagram\n"
     "of every Deferred on the right. Step with l / h (or the arrows), a cell with n / p,\n"
     "play with space, t for the cell's Twisted twin, ? for every key. ID is the number or\n"
     "name of a lesson in ./lessons, else in the installed lessons; FILE a lesson .md.\n",
     NULL, 1},
    {"challenge", "work on a challenge in the workbench: it re-checks on every save",
     "deferlab challenge ID|FILE\n\n"
     "Opens a challenge: the task on the left, its checks on the right. Your working copy is\n"
     "$XDG_STATE_HOME/deferlab/work/ID.lua, made from the starter the first time and never\n"
     "overwritten; every save re-checks it (if file events stop arriving, it falls back to\n"
     "polling and says so). r re-checks, e opens $EDITOR, h shows the next hint, v steps\n"
     "through the failing run, S shows the reference solution (asking first before a pass).\n",
     NULL, 1},
    {"replay", "step through a recorded trace (.jsonl) in the workbench",
     "deferlab replay TRACE.jsonl\n\n"
     "Opens a trace written by `deferlab run --trace` or tools/twisted_trace.py with the same\n"
     "views as a lesson: every step, forwards and backwards.\n",
     NULL, 1},
    {"repl", "type Lua; the chains update live",
     "deferlab repl\n\n"
     "A Lua prompt in the workbench: every Deferred you create is drawn as it changes.\n",
     NULL, 1},
    {"run", "run a .lua script or a lesson headless, narrating every event",
     "deferlab run FILE [options]\n\n"
     "Runs a script or a lesson's cells without the workbench and tells the story of every\n"
     "event, one line each; --trace writes the trace file for replay and export.\n",
     dl_cli_run, 0},
    {"export", "a trace as Chrome trace JSON, a plain-text diagram, or Graphviz",
     "deferlab export TRACE.jsonl --format chrome|text|dot [options]\n\n"
     "chrome: open the file in https://ui.perfetto.dev or chrome://tracing: one track per\n"
     "Deferred, each callback a slice, fires / cancels / unhandled errors as instants, arrows\n"
     "for waiting and hand-offs. text: every Deferred's two-track diagram at a step, to paste\n"
     "into an issue. dot: the Deferreds and their links for Graphviz.\n",
     dl_cli_export, 0},
    {"check", "check your solution to a challenge",
     "deferlab check CHALLENGE [SOLUTION.lua]\n\n"
     "Runs the challenge's checks against your solution and explains the first difference in\n"
     "words. A pass is recorded in your progress.\n",
     dl_cli_check, 0},
    {"watch", "check a solution every time you save it",
     "deferlab watch CHALLENGE [SOLUTION.lua]\n\n"
     "Like check, again after every save of the file.\n",
     dl_cli_watch, 0},
    {"hint", "the next hint of a challenge",
     "deferlab hint CHALLENGE\n\nShows the next hint; hints used are counted in your progress.\n",
     dl_cli_hint, 0},
    {"list", "lessons done, challenges passed, hints used",
     "deferlab list\n\nYour progress: lessons done, challenges passed, hints used.\n", dl_cli_list,
     0},
    {"reset", "forget the progress of a challenge, or of everything",
     "deferlab reset CHALLENGE|--all\n\n"
     "Forgets progress after asking; working copies are moved aside, never deleted.\n",
     dl_cli_reset, 0},
    {"lint", "check every lesson, challenge and reference solution",
     "deferlab lint\n\n"
     "For authors: every lesson loads and runs, every challenge's starter fails its checks and\n"
     "its reference solution passes them.\n",
     dl_cli_lint, 0},
    {"help", "this overview, or the page of one command",
     "deferlab help [COMMAND]\n\nThe overview, or what COMMAND does and its options.\n", NULL, 0},
};
#define NPAGES (sizeof pages / sizeof pages[0])

static void overview(void)
{
    fputs("deferlab " DL_VERSION " - a terminal workbench for learning Twisted-style Deferreds\n"
          "\n"
          "usage: deferlab [COMMAND] [ARGS...]\n"
          "\n"
          "  (no command)  the home screen: the lessons and your progress\n",
          stdout);
    for (size_t i = 0; i < NPAGES; i++)
        printf("  %-12s  %s\n", pages[i].name, pages[i].summary);
    fputs("\n"
          "  --help        this text          --version    print the version\n"
          "\n"
          "`deferlab help COMMAND` explains one command and lists its options.\n"
          "The manual: man deferlab. Environment: NO_COLOR, XDG_STATE_HOME, EDITOR.\n",
          stdout);
}

int dl_cli_help(int argc, char **argv)
{
    if (argc < 1) {
        overview();
        return 0;
    }
    for (size_t i = 0; i < NPAGES; i++) {
        const page *p = &pages[i];
        if (strcmp(argv[0], p->name) != 0) continue;
        fputs(p->text, stdout);
        if (p->workbench || p->usage) fputc('\n', stdout);
        fflush(stdout);
        if (p->workbench) {
            char *args[] = {(char *)p->name};
            return workbench_usage(1, args);
        }
        return p->usage ? own_usage(p->usage) : 0;
    }
    fprintf(stderr, "deferlab help: no command '%s'; the commands are:", argv[0]);
    for (size_t i = 0; i < NPAGES; i++)
        fprintf(stderr, " %s", pages[i].name);
    fputc('\n', stderr);
    return 2;
}

int dl_cli_version(void)
{
    puts("deferlab " DL_VERSION);
    return 0;
}
