/* uvreactor.h - a reactor on real time, for `deferlab run --realtime`.
 *
 * The same reactor interface as the virtual Clock (engine/clock.h), backed
 * by libuv: seconds() is the time since the reactor was made, and each
 * pending call is a uv timer. Nothing advances it: time moves by itself,
 * and dl_uv_reactor_run waits until no call is pending.
 */
#ifndef DL_UVREACTOR_H
#define DL_UVREACTOR_H

#include "engine/clock.h"

/* A new real-time reactor (a new reference), or NULL on OOM / when libuv
 * cannot start (raised slot set). */
dl_reactor *dl_uv_reactor_new(dl_engine *eng);
/* True when r is a real-time reactor. */
bool dl_is_uv_reactor(const dl_reactor *r);
/* Run due calls as their time comes, until none is pending. Returns 0, or
 * DL_ERAISED when a call raised (its failure in the raised slot; the calls
 * still pending stay pending). */
int dl_uv_reactor_run(dl_reactor *r);

#endif
