/* export.h - `deferlab export`: a trace file as Chrome trace JSON, plain text or Graphviz. */
#ifndef DL_CLI_EXPORT_H
#define DL_CLI_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "trace/model.h"

/* `deferlab export FILE.jsonl [--format chrome|text|dot] [--step N] [-o OUT]
 * [--utf8] [--events] [--width W]` (argv starts after "export"). Returns 0,
 * 1 when the trace cannot be read or the output cannot be written, 2 for a
 * usage error. */
int dl_cli_export(int argc, char **argv);

/* The plain-text picture of every Deferred (and structure) of m at its
 * cursor, w columns wide, then (events) the story of every event up to the
 * cursor. ASCII unless utf8. Deterministic: the same model and cursor give
 * the same bytes. Returns 0 or -1 on a write error / OOM. */
int dl_export_text(const dl_model *m, FILE *out, int w, bool utf8, bool events);
/* Graphviz DOT of the Deferreds of m at its cursor and the links between
 * them (waiting-on, continuation hand-offs, steals, chainDeferred). */
int dl_export_dot(const dl_model *m, FILE *out);

#endif
