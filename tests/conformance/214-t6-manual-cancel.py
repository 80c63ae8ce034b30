# 214-t6-manual-cancel: T6 a manual cancel keeps CancelledError and does not call onTimeoutCancel
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def custom(v, t):
    print("custom must not run")
    return v
d = Deferred().addTimeout(5, clock, onTimeoutCancel=custom)
d.addErrback(eat("eb"))
d.cancel()
print("pending " + fmt(len(clock.getDelayedCalls())))
clock.advance(10)
print("done")
