# 027-float-and-int-values: ints stay ints and floats print as floats
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def half(r):
    return r / 2
def floor2(r):
    return r // 2
d.addCallback(cb("a")).addCallback(half).addCallback(cb("b")).addCallback(floor2).addCallback(cb("c"))
d.callback(5)
d2 = succeed(4).addCallback(floor2).addCallback(cb("d"))
print("done")
