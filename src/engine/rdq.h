/* rdq.h - ResizableDispatchQueue, its Job, and DeferredPriorityQueue (the
 * seed blog's txrdq: "send SMS at a rate you can change at run time").
 *
 *   q = ResizableDispatchQueue(sendSMS, 5)
 *   d = q.put((2127399921, 'Hello...'), 5)   -- Deferred of the finished Job
 *   q.width = 10; q.width = 7                 -- takes effect at once
 *   q.pending(); q.underway(); q.reprioritize(job, -1); job.cancel()
 *   q.pause(); q.resume(8); q.stop()          -- stop: Deferred of unprocessed jobs
 *
 * Facts kept from txrdq:
 *   - Priorities: LOWER numbers are MORE important; equal priorities keep
 *     put order; reprioritize keeps a job's place among equals.
 *   - width workers each loop "get a job from the priority queue, run it,
 *     wait for it to end". Widening starts more workers at once; narrowing
 *     lets underway jobs finish (a worker stops when it next looks for a
 *     job; idle workers are woken with a no-op job so they stop now).
 *   - put() gives a Deferred that fires with the Job when fn(jobarg)
 *     succeeded, or fails when fn failed or the job was cancelled. The
 *     failure's exception has args {job}: for a failed job its type and
 *     message are those of fn's failure (kept in job.failure); for a
 *     cancelled job it is CancelledError. Cancelling that Deferred cancels
 *     the job.
 *   - pause() narrows to 0 remembering the width, and returns a Deferred
 *     firing (None) when no job is underway; resume(width) restarts with
 *     width (or the remembered one). stop() pauses for good and returns a
 *     Deferred firing with the list of pending jobs once the underway ones
 *     have finished; later puts fail (QueueStopped).
 *
 * Decisions where the seed was vague:
 *   - Jobs launch synchronously (inside put, set_width, resume ...): the
 *     Cooperator txrdq uses would start them on a later reactor turn.
 *   - Using a stopped queue raises QueueStopped (code DL_ERUNTIME).
 *   - Cancelling a job that has already ended does nothing. pause() while
 *     paused keeps the remembered width; resume() without a width when not
 *     paused keeps the current width.
 *   - pending() is sorted (best first); txrdq gave heap order.
 *   - Times (queuedAt, launchedAt, stoppedAt) are the reactor's seconds();
 *     a time not reached yet is NAN (nil in Lua).
 *
 * Ownership (written once, here): constructors return references you own;
 * the queue takes ownership of fn and holds its reactor. Jobs are heap
 * objects (DL_OBJ values): the queue holds the pending and underway ones,
 * each put() Deferred holds its job. Returned lists and Deferreds are new
 * references; job accessors return borrowed values.
 *
 * Errors: negative DL_E* with the Failure in the engine's raised slot:
 *   ValueError (DL_EVALUE) for a negative width, RuntimeError (DL_ERUNTIME)
 *   for QueueStopped, for reprioritizing a job that is not pending and for
 *   putting an object that is already pending in a DeferredPriorityQueue,
 *   KeyError (DL_EVALUE) for deleting / reprioritizing an object that is not
 *   in a DeferredPriorityQueue.
 *
 * Events: DL_EV_STATE on creation and after every change:
 *   DeferredPriorityQueue   {"pending", {{value, priority}, ...}}, {"waiting", {Deferreds}}
 *   ResizableDispatchQueue  {"width", n}, {"workers", n}, {"pending", {jobs}},
 *                           {"underway", {jobs}}, {"paused", bool}, {"stopped", bool}
 */
#ifndef DL_RDQ_H
#define DL_RDQ_H

#include <math.h>

#include "clock.h"

/* ---- DeferredPriorityQueue ------------------------------------------------ */

typedef struct dl_dpq dl_dpq;

dl_dpq *dl_dpq_new(dl_engine *eng);
/* put(v, priority): to the first waiting getter, else into the queue.
 * DL_ERUNTIME when v (by identity) is already pending. v is borrowed. */
int dl_dpq_put(dl_dpq *q, dl_value v, double priority);
/* get(): succeed(the most important pending value), else a waiting
 * Deferred (cancelling it stops the wait). *out gets a new reference. */
int dl_dpq_get(dl_dpq *q, dl_deferred **out);
/* delete(v) / reprioritize(v, p): DL_EVALUE (KeyError) when v is not pending. */
int dl_dpq_delete(dl_dpq *q, dl_value v);
int dl_dpq_reprioritize(dl_dpq *q, dl_value v, double priority);
/* The pending values, most important first (new DL_LIST). */
dl_value dl_dpq_pending(const dl_dpq *q);
size_t dl_dpq_len(const dl_dpq *q);
size_t dl_dpq_waiting(const dl_dpq *q);
dl_dpq *dl_dpq_of(dl_value v);
dl_value dl_dpq_value(dl_dpq *q); /* new reference */

/* ---- Job --------------------------------------------------------------------- */

typedef enum {
    DL_JOB_PENDING = 0,
    DL_JOB_UNDERWAY,
    DL_JOB_FINISHED,
    DL_JOB_FAILED,
    DL_JOB_CANCELLED
} dl_job_state;

typedef struct dl_job dl_job;

/* "PENDING", "UNDERWAY", "FINISHED", "FAILED", "CANCELLED". */
const char *dl_job_state_name(dl_job_state s);
dl_job_state dl_job_get_state(const dl_job *job);
dl_value dl_job_arg(const dl_job *job); /* borrowed */
double dl_job_priority(const dl_job *job);
double dl_job_queued_at(const dl_job *job);
double dl_job_launched_at(const dl_job *job); /* NAN until launched */
double dl_job_stopped_at(const dl_job *job);  /* NAN until it ended */
dl_value dl_job_result(const dl_job *job);    /* borrowed; DL_NONE unless FINISHED */
dl_value dl_job_failure(const dl_job *job);   /* borrowed; fn's failure when FAILED */
/* job.watch(): a Deferred of this job's end (new reference): fires with the
 * job, or fails as put()'s Deferred does. Cancelling it cancels the job. */
dl_deferred *dl_job_watch(dl_job *job);
/* job.cancel(): a pending job leaves the queue; an underway one has its
 * Deferred cancelled. Watchers fail with CancelledError. 0 (also when the
 * job had already ended). */
int dl_job_cancel(dl_job *job);
dl_job *dl_job_of(dl_value v);
dl_value dl_job_value(dl_job *job); /* new reference */

/* ---- ResizableDispatchQueue ----------------------------------------------- */

typedef struct dl_rdq dl_rdq;

#define DL_RDQ_KEEP_WIDTH (-1)

/* ResizableDispatchQueue(fn, width): fn(jobarg) is run (maybeDeferred) for
 * each job. */
dl_rdq *dl_rdq_new(dl_reactor *r, dl_fn fn, int64_t width);
/* put(jobarg, priority): *out gets the Deferred of the Job. */
int dl_rdq_put(dl_rdq *q, dl_value jobarg, double priority, dl_deferred **out);
int64_t dl_rdq_width(const dl_rdq *q);
int dl_rdq_set_width(dl_rdq *q, int64_t width);
/* Jobs not yet launched, most important first / underway jobs in launch
 * order (new DL_LISTs of Job values). */
dl_value dl_rdq_pending(const dl_rdq *q);
dl_value dl_rdq_underway(const dl_rdq *q);
size_t dl_rdq_pending_count(const dl_rdq *q);
size_t dl_rdq_underway_count(const dl_rdq *q);
/* pause(): *out (may be NULL: not wanted) fires with None when no job is
 * underway any more. */
int dl_rdq_pause(dl_rdq *q, dl_deferred **out);
/* resume(width): DL_RDQ_KEEP_WIDTH for the width before pause(). */
int dl_rdq_resume(dl_rdq *q, int64_t width);
/* stop(): *out fires with the DL_LIST of pending jobs once the underway
 * jobs have ended. */
int dl_rdq_stop(dl_rdq *q, dl_deferred **out);
/* reprioritize(job, priority): DL_ERUNTIME when the job is not pending. */
int dl_rdq_reprioritize(dl_rdq *q, dl_job *job, double priority);
bool dl_rdq_paused(const dl_rdq *q);
bool dl_rdq_stopped(const dl_rdq *q);
dl_rdq *dl_rdq_of(dl_value v);
dl_value dl_rdq_value(dl_rdq *q); /* new reference */

#endif
