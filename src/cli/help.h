/* help.h - `deferlab --help`, `deferlab help COMMAND`, `deferlab --version`. */
#ifndef DL_CLI_HELP_H
#define DL_CLI_HELP_H

#define DL_VERSION "0.1.0"

/* `deferlab help [COMMAND]` (argv starts after "help"): the overview, or
 * what COMMAND does followed by its options. 0, or 2 for an unknown
 * command. */
int dl_cli_help(int argc, char **argv);
/* Print "deferlab 0.1.0". Returns 0. */
int dl_cli_version(void);

#endif
