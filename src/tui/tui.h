/* tui.h - the workbench (curses lives only in src/tui).
 *
 * Screens: Home (the lessons), a lesson player, a trace replay, and a REPL.
 * All of them render the trace model at a cursor; none reaches into the
 * engine. Each entry point returns the process exit status and restores the
 * terminal on every path.
 */
#ifndef DL_TUI_H
#define DL_TUI_H

#include "engine/engine.h"
#include "trace/model.h"

typedef struct dl_tui_opts {
    const char *lessons_dir;    /* the folder of lesson files */
    const char *challenges_dir; /* the folder of challenge files (solutions/ is its sibling) */
    const char *color;          /* "auto" | "always" | "never" (NULL: auto) */
    const char *theme;          /* "dark" | "light" | "mono" (NULL: dark) */
    const char *progress;       /* progress file (NULL: the default path) */
    dl_semantics semantics;
} dl_tui_opts;

/* Home: the lesson list; Enter continues where the learner left off. */
int dl_tui_home(const dl_tui_opts *o);
/* Open one lesson: a file path, or an id / id prefix in lessons_dir. */
int dl_tui_learn(const dl_tui_opts *o, const char *which);
/* Open a challenge (id, id prefix, or file): task, hints, checks re-run on
 * every save of the learner's working copy. */
int dl_tui_challenge(const dl_tui_opts *o, const char *which);
/* Replay a trace file with the same views. */
int dl_tui_replay(const dl_tui_opts *o, const char *trace_path);
/* A Lua command line whose chains update live. */
int dl_tui_repl(const dl_tui_opts *o);

/* Paint the replay screen of model m at event cursor into an off-screen
 * terminal of rows x cols and return its text (UTF-8 when utf8, else the
 * ASCII glyphs), one line per row, trailing blanks trimmed. No terminal is
 * needed. For golden screen tests and the paint benchmark. Returns 0 and a
 * malloc'ed string, or -1. When frames > 1, paints that many times (moving
 * the cursor back and forth by one) so a benchmark can time it. */
int dl_tui_snapshot(dl_model *m, int64_t cursor, int rows, int cols, int utf8, int frames,
                    char **out);

/* Find a lesson file by id or id prefix in dir ("04" -> "dir/04-....md").
 * Returns 0 and writes the path, or -1. */
int dl_tui_find_lesson(const char *dir, const char *which, char *path, size_t n);

#endif
