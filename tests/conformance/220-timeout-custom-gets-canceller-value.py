# 220-timeout-custom-gets-canceller-value: onTimeoutCancel also sees a canceller's success value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def custom(v, t):
    print("custom got " + fmt(v) + " " + fmt(t))
    return "custom"
d = Deferred(lambda x: x.callback("cancel-value")).addTimeout(2, clock, onTimeoutCancel=custom)
d.addBoth(cb("d"))
clock.advance(2)
print("done")
