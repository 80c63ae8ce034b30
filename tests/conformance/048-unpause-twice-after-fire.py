# 048-unpause-twice-after-fire: unpausing more than pausing after firing stalls at -1 until re-balanced
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.pause()
d.callback("v")
d.unpause()
d.unpause()
d.addCallback(cb("cb"))
print(st(d))
d.pause()
print(st(d))
d.addCallback(cb("cb2"))
print(st(d))
print("done")
