/* cli.h - deferlab's subcommands. */
#ifndef DL_CLI_H
#define DL_CLI_H

/* Parse argv and run the chosen subcommand; returns the process exit status. */
int dl_cli_main(int argc, char **argv);

/* `deferlab run FILE [options]` (argv starts after "run"). */
int dl_cli_run(int argc, char **argv);

#endif
