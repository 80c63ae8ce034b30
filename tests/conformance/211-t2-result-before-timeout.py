# 211-t2-result-before-timeout: T2 a result before the timeout passes through and cancels the timer
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred().addTimeout(10, clock)
d.addCallback(cb("cb"))
d.callback("ok")
print("pending " + fmt(len(clock.getDelayedCalls())))
clock.advance(20)
print(st(d))
print("done")
