/* chain.h - the two-track callback / errback diagram of a Deferred.
 *
 *   d1  ✓ fired: 10
 *    callback              │ errback
 *   ● ✓ #1 double 5 → 10   │ · passthru
 *   ● ✗ #2 check 10 ↯ Fail…│ · log
 *   ╰──────────────────────┼─╮
 *     · #3 show            │ ● ✓ #3 recover Failure(…) → 0
 *   ╭──────────────────────┼─╯
 *   ● = 0
 *
 * One row per callback pair; the result token ● runs down the track it is
 * on, and a connector row shows it crossing where a callback raised or an
 * errback recovered. Every state has a glyph as well as a colour.
 *
 * Drawing goes through an emit callback (line, column, text, colour), so
 * the same layout paints curses or plain text. No curses here.
 */
#ifndef DL_TUI_CHAIN_H
#define DL_TUI_CHAIN_H

#include "trace/model.h"
#include "tui/term.h"

typedef void (*dl_emit_fn)(void *ud, int line, int col, const char *text, dl_color color);

/* Lay out d's diagram in width w, starting at line 0. current marks the
 * Deferred concerned by the event at the cursor. Returns the lines used. */
int dl_chain_draw(const dl_model *m, const dl_model_deferred *d, int w, int current,
                  dl_emit_fn emit, void *ud);
/* A structure (queue, lock, clock ...) as a small box of key/value lines. */
int dl_structure_draw(const dl_model *m, const dl_model_structure *s, int w, dl_emit_fn emit,
                      void *ud);

#endif
