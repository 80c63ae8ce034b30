/* actions.h - every user action, once. The enum, the help screen and the
 * key bar are all generated from this table; the key bindings are data
 * (keys.c). X(name, "keys shown", "key-bar label" or NULL, "what it does") */
#ifndef DL_TUI_ACTIONS_H
#define DL_TUI_ACTIONS_H

#define DL_ACTIONS(X)                                                                              \
    X(NEXT, "→ l", "step", "next event")                                                           \
    X(PREV, "← h", "back", "previous event")                                                       \
    X(NEXT_CELL, "n", "cell", "next cell")                                                         \
    X(PREV_CELL, "p", NULL, "previous cell")                                                       \
    X(FIRST, "g", NULL, "first event")                                                             \
    X(LAST, "G", NULL, "last event")                                                               \
    X(GOTO, ":", NULL, "go to step N")                                                             \
    X(PREV_KIND, "[", NULL, "previous event of the same kind as the current one")                  \
    X(NEXT_KIND, "]", NULL, "next event of the same kind as the current one")                      \
    X(AUTOPLAY, "space", "play", "autoplay on / off")                                              \
    X(FASTER, "+", NULL, "autoplay faster")                                                        \
    X(SLOWER, "-", NULL, "autoplay slower")                                                        \
    X(FOCUS, "Tab", "pane", "focus the next pane")                                                 \
    X(UP, "↑ k", NULL, "scroll the focused pane up (home: previous lesson)")                       \
    X(DOWN, "↓ j", NULL, "scroll the focused pane down (home: next lesson)")                       \
    X(PAGE_UP, "PgUp", NULL, "scroll a page up")                                                   \
    X(PAGE_DOWN, "PgDn", NULL, "scroll a page down")                                               \
    X(TWIN, "t", "twisted", "show the cell's Twisted Python twin")                                 \
    X(SEMANTICS, "s", NULL, "show the chains under both chainDeferred semantics, side by side")    \
    X(WRITE, "w", NULL, "write the run's trace to a file")                                         \
    X(EDIT, "e", NULL, "open the file in $EDITOR and re-run on return")                            \
    X(RERUN, "r", NULL, "re-run")                                                                  \
    X(FILTER, "/", NULL, "filter the lesson list")                                                 \
    X(OPEN, "Enter", NULL, "open / answer")                                                        \
    X(HELP, "?", "help", "help")                                                                   \
    X(QUIT, "q", "quit", "back / quit")

typedef enum {
    DL_ACT_NONE = 0,
#define DL_ACT_ENUM(name, keys, bar, help) DL_ACT_##name,
    DL_ACTIONS(DL_ACT_ENUM)
#undef DL_ACT_ENUM
        DL_ACT__COUNT
} dl_action;

typedef struct dl_action_info {
    const char *name, *keys, *help;
    const char *bar; /* label in the key bar, or NULL when it is only in help */
} dl_action_info;

const dl_action_info *dl_action_info_of(dl_action a);
/* The action bound to a curses key code, or DL_ACT_NONE. */
dl_action dl_action_for_key(int key);

#endif
