# 091-x12-cancel-paused-with-result: X12 cancel a paused Deferred holding a result: no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred(lambda x: print("canceller must not run"))
d.pause()
d.callback("held")
d.cancel()
print(st(d))
d.addCallback(cb("cb"))
d.unpause()
print(st(d))
print("done")
