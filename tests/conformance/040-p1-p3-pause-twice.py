# 040-p1-p3-pause-twice: P1-P3 pause twice: nothing runs until paused returns to 0
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.pause()
d.pause()
d.addCallback(cb("cb"))
d.callback("v")
print("P1 " + st(d))
d.unpause()
print("P2 " + st(d))
d.unpause()
print("P3 " + st(d))
print("done")
