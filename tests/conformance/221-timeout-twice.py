# 221-timeout-twice: two addTimeouts: the earlier one wins, the later timer is cancelled
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred()
d.addTimeout(1, clock)
d.addTimeout(5, clock)
d.addErrback(lambda f: print("eb " + tname(f) + " " + fmt(f.value.args)))
clock.advance(1)
print("pending " + fmt(len(clock.getDelayedCalls())))
print("done")
