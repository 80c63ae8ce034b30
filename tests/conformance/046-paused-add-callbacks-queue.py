# 046-paused-add-callbacks-queue: callbacks added while paused all run in order at unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = succeed(1)
d.pause()
d.addCallback(cb("a"))
d.addCallback(cb("b"))
print("queued " + st(d))
d.unpause()
d.addCallback(cb("c"))
print(st(d))
print("done")
