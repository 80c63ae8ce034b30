# 024-callback-returns-nil: a callback returning nothing passes nil on
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def nothing(r):
    print("nothing got " + fmt(r))
d.addCallback(nothing).addCallback(cb("next"))
d.callback("v")
print(st(d))
print("done")
