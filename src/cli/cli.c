/* cli.c - subcommand dispatch. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "engine/deferred.h"

static void print_event(void *ud, const dl_event *ev)
{
    (void)ud;
    char v[128];
    dl_repr(ev->value, v, sizeof v);
    printf("%3llu %-14s d%u %s %s\n", (unsigned long long)ev->seq, dl_event_wire_name(ev->kind),
           (unsigned)ev->d, ev->name ? ev->name : "", v);
}

static dl_value twice(dl_value v, void *ud)
{
    (void)ud;
    return dl_int(v.u.i * 2);
}

int dl_cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    dl_engine *eng = dl_engine_new();
    eng->observer = print_event;
    dl_deferred *d = dl_deferred_new(eng, dl_passthru());
    dl_deferred_add_callback(d, dl_fn_c(twice, NULL, "double"));
    dl_deferred_callback(d, dl_int(21));
    dl_deferred_release(d);
    dl_engine_free(eng);
    return 0;
}
