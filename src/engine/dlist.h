/* dlist.h - DeferredList, gatherResults, race.
 *
 * Built only from public Deferred operations, exactly as Twisted builds them
 * (reference sections 1.3, 2.10): each input gets one callback pair that
 * records its outcome; the DeferredList is a Deferred subclass whose cancel()
 * cancels the inputs.
 *
 * Ownership (written once, here):
 *   - Inputs are borrowed: the array is copied and each input retained, so
 *     changing or freeing the caller's array afterwards changes nothing (L12).
 *   - Each returned Deferred is a new reference (dl_deferred_release it).
 *   - Every input's recording pair holds a reference to the combined
 *     Deferred until that input fires, as Twisted's bound methods do.
 *
 * Indices are Twisted's, 0-based, in FirstError's args; the results that
 * carry an index (fireOnOneCallback's {value, index}, race's {index, value})
 * and FirstError's message count from eng->index_base (0 as Twisted; the
 * Lua host sets 1).
 *
 * Results:
 *   DeferredList   DL_LIST of n {ok (DL_BOOL), value} DL_LISTs, in input
 *                  order; the list is the object dl_deferred_list_results
 *                  returns. fireOnOneCallback fires {value, index}.
 *                  fireOnOneErrback fails with FirstError.
 *   FirstError     exception of type dl_type_FirstError, args
 *                  {subFailure, index}; message "FirstError[#<index>, <sub>]"
 *                  where <sub> is the subFailure's repr, as Twisted's str.
 *   gatherResults  DL_LIST of the n values, or FirstError.
 *   race           {index, value}; all failed: FailureGroup with args
 *                  {DL_LIST of the failures sorted by index}.
 *
 * Constructors return NULL only on out-of-memory (raised slot set).
 */
#ifndef DL_DLIST_H
#define DL_DLIST_H

#include "deferred.h"

enum {
    DL_DLIST_FIRE_ON_ONE_CALLBACK = 1 << 0,
    DL_DLIST_FIRE_ON_ONE_ERRBACK = 1 << 1,
    DL_DLIST_CONSUME_ERRORS = 1 << 2
};

/* The dl_deferred_class of DeferredLists ("DeferredList"). */
extern const dl_deferred_class dl_deferred_list_class;

/* DeferredList(ds, flags). Inputs that have already fired report inside
 * this call, in list order, so the list may be fired when it returns. */
dl_deferred *dl_deferred_list_new(dl_engine *eng, dl_deferred *const *ds, size_t n, unsigned flags);

/* True when d is a DeferredList. */
bool dl_is_deferred_list(const dl_deferred *d);
/* Twisted's resultList (borrowed): n slots, DL_NONE until that input
 * reports, then {ok, value}. Keeps being filled after the list fired. */
dl_value dl_deferred_list_results(const dl_deferred *dl);
/* finishedCount: inputs that have reported so far. */
size_t dl_deferred_list_finished(const dl_deferred *dl);
/* Number of inputs, and input i (borrowed; NULL when out of range). */
size_t dl_deferred_list_count(const dl_deferred *dl);
dl_deferred *dl_deferred_list_input(const dl_deferred *dl, size_t i);

/* gatherResults(ds, consumeErrors): a DeferredList with fireOnOneErrback and
 * a callback that maps the pairs to their values. */
dl_deferred *dl_gather_results(dl_engine *eng, dl_deferred *const *ds, size_t n,
                               bool consume_errors);

/* race(ds) (Twisted 23.8+): the first success wins and the others are
 * cancelled; every input's result becomes None. race of nothing never
 * fires. Cancelling the race cancels every input. */
dl_deferred *dl_race(dl_engine *eng, dl_deferred *const *ds, size_t n);

/* A FirstError exception (new reference; NULL on OOM): args {sub, index}.
 * sub is retained. Exposed so hosts can compare and rebuild them. */
dl_exception *dl_first_error_new(dl_engine *eng, dl_value sub_failure, int64_t index);

#endif
