# 070-r1-reentrant-add-runs-after-queued: R1 a callback added during a callback runs after the queued ones
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def cb1(r):
    print("cb1 start " + fmt(r))
    d.addCallback(cb("x"))
    print("cb1 end")
    return 1
def cb2(r):
    print("cb2 got " + fmt(r))
    return 2
d.addCallback(cb1).addCallback(cb2)
d.callback(0)
print(st(d))
print("done")
