# 143-gather-cancel-all-call-back: 2.10.2 cancelling gatherResults where every canceller calls back
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred(lambda d: d.callback("ra"))
b = Deferred(lambda d: d.callback("rb"))
g = gatherResults([a, b])
g.addCallback(cb("g"))
g.cancel()
print("g " + st(g))
print("done")
