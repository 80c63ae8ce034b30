# 012-addboth-and-errback-args: addBoth / addErrback pass extra args
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addBoth(cb("both"), "x", 7)
d.addErrback(eat("eb"), "y")
d.addCallback(cb("cb"), True)
d.errback(KeyError("k"))
print(st(d))
print("done")
