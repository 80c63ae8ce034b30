/* ddict.h - DeferredDict: a dictionary whose lookups are Deferreds (the seed
 * blog's "asynchronously exchange a dictionary").
 *
 *   dd[k]      -> a Deferred of the value: already fired (succeed) when k is
 *                 known, otherwise one that fires when someone sets k
 *   dd[k] = v  -> stores v and fires every Deferred waiting for k
 *
 * Keys are strings or integers, compared by value. A DL_NUM with an
 * integral value is the same key as that integer (as Lua and Python treat
 * 1.0 and 1); any other key is DL_ETYPE (TypeError).
 *
 * Decisions where the seed was vague:
 *   - Waiters fire in the order they asked (the seed keeps them in a set).
 *   - The value is stored *before* the waiters fire, so a callback that
 *     looks the key up again gets it at once.
 *   - A waiting Deferred may be cancelled: it stops waiting (CancelledError).
 *
 * Ownership (written once, here): dl_ddict_new returns a reference you own.
 * Keys and values are borrowed by the calls and retained by the dict.
 * Returned Deferreds are new references. Each waiter's canceller holds a
 * reference to the dict.
 *
 * Events: DL_EV_STATE "DeferredDict" on creation and after every change:
 *   {"items", {{key, value}, ...}}        (known keys, in first-use order)
 *   {"waiting", {{key, {Deferreds}}, ...}} (keys asked for but not yet set)
 */
#ifndef DL_DDICT_H
#define DL_DDICT_H

#include "deferred.h"

typedef struct dl_ddict dl_ddict;

dl_ddict *dl_ddict_new(dl_engine *eng);
/* dd[key]: *out gets a new reference. DL_ETYPE for a bad key, DL_ENOMEM. */
int dl_ddict_get(dl_ddict *dd, dl_value key, dl_deferred **out);
/* dd[key] = value: DL_ETYPE for a bad key, DL_ENOMEM, or the error of a
 * waiter's callback chain (the remaining waiters still fire). */
int dl_ddict_set(dl_ddict *dd, dl_value key, dl_value value);
/* Is key known? */
bool dl_ddict_has(const dl_ddict *dd, dl_value key);
/* The known value (borrowed), or DL_NONE. */
dl_value dl_ddict_lookup(const dl_ddict *dd, dl_value key);
/* Number of known keys. */
size_t dl_ddict_len(const dl_ddict *dd);
/* Deferreds waiting for key (0 when none). */
size_t dl_ddict_waiting(const dl_ddict *dd, dl_value key);

dl_ddict *dl_ddict_of(dl_value v);
dl_value dl_ddict_value(dl_ddict *dd); /* new reference */

#endif
