/* main.c - argv goes to the command-line layer; nothing else lives here. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return dl_cli_main(argc, argv);
}
