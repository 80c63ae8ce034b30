/* cli.c - subcommand dispatch: argv[1] names a subcommand, the rest is its. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "cli/challenges.h"
#include "cli/export.h"
#include "cli/help.h"
#include "cli/workbench.h"

/* Subcommands that take the arguments after their name. */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"run", dl_cli_run},     {"export", dl_cli_export}, {"check", dl_cli_check},
    {"watch", dl_cli_watch}, {"hint", dl_cli_hint},     {"list", dl_cli_list},
    {"reset", dl_cli_reset}, {"lint", dl_cli_lint},     {"help", dl_cli_help},
};

/* Subcommands that open the workbench (they parse their own name too). */
static const char *const workbench[] = {"learn", "challenge", "replay", "repl"};

int dl_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        char *home[] = {"home"};
        return dl_cli_workbench(1, home);
    }
    const char *cmd = argv[1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 2, argv + 2);
    for (size_t i = 0; i < sizeof workbench / sizeof workbench[0]; i++)
        if (strcmp(cmd, workbench[i]) == 0) return dl_cli_workbench(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) return dl_cli_help(0, NULL);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) return dl_cli_version();
    if (cmd[0] == '-') {
        /* Options without a command belong to the workbench (--color=never ...). */
        argv[0] = "home";
        return dl_cli_workbench(argc, argv);
    }
    fprintf(stderr, "deferlab: unknown command '%s' (try deferlab --help)\n", cmd);
    return 2;
}
