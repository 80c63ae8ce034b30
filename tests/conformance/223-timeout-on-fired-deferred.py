# 223-timeout-on-fired-deferred: addTimeout on an already-fired Deferred leaves no timer
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = succeed("early").addTimeout(5, clock)
print("pending " + fmt(len(clock.getDelayedCalls())) + " " + st(d))
print("done")
