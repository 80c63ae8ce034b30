# 001-s1-callback-args: S1 callback gets result and extra args; addCallback returns d
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
print(st(d))
r = d.addCallback(cb("cb"), "A", "B")
print("same " + fmt(r is d))
print(st(d))
d.callback(1)
print(st(d))
print("done")
