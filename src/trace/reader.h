/* reader.h - load a .jsonl trace into memory.
 *
 * Tolerance rules (also in docs/trace-format.md):
 *   - the header must be line 1 with format "deferlab-trace" and an integer
 *     version; a version newer than DL_TRACE_VERSION is refused;
 *   - unknown event kinds are kept (rec.kind == -1, kind_name says which)
 *     and counted; unknown fields are skipped and counted;
 *   - a last line that does not parse is taken for a write cut short by a
 *     crash: it is skipped with a warning;
 *   - blank lines are skipped;
 *   - anything else that is wrong (a bad line in the middle, a field of the
 *     wrong type) refuses the file.
 * Every message names the file and the line ("trace.jsonl:7: ...").
 */
#ifndef DL_TRACE_READER_H
#define DL_TRACE_READER_H

#include "trace.h"

/* Load the trace at path. On success returns 0 and sets *out (free it with
 * dl_trace_free); warnings about what was skipped are in (*out)->warnings.
 * On error returns DL_TRACE_EIO, DL_TRACE_EFORMAT, DL_TRACE_EVERSION or
 * DL_ENOMEM, leaves *out NULL, and writes a "file:line: why" message to err. */
int dl_trace_load(const char *path, dl_trace **out, char *err, size_t errlen);
/* The same from an open stream; name is used in messages. */
int dl_trace_load_stream(FILE *f, const char *name, dl_trace **out, char *err, size_t errlen);

#endif
