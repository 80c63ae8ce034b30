# 213-t5-on-timeout-cancel: T5 onTimeoutCancel receives the CancelledError failure and the timeout
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def custom(v, t):
    print("custom got " + fmt(v) + " " + fmt(t))
    return "custom " + str(t)
d = Deferred().addTimeout(3, clock, onTimeoutCancel=custom)
d.addCallback(cb("cb"))
clock.advance(3)
print(st(d))
print("done")
