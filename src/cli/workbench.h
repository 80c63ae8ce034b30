/* workbench.h - the subcommands that open the TUI: (none), learn, replay, repl. */
#ifndef DL_CLI_WORKBENCH_H
#define DL_CLI_WORKBENCH_H

/* argv[0] is the subcommand ("learn", "replay", "repl", or "home" for a
 * bare `deferlab`). Returns the exit status. */
int dl_cli_workbench(int argc, char **argv);

#endif
