# 079-trampoline-100000: 100,000-deep returned-Deferred chain: outer sees leaf
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

N = 100000
ds = [Deferred() for i in range(N)]
def mk(nxt):
    return lambda r: nxt
for i in range(N - 1):
    ds[i].addCallback(mk(ds[i + 1]))
ds[0].addCallback(cb("outer"))
for i in range(N - 1):
    ds[i].callback(None)
ds[N - 1].callback("leaf")
print("outer " + st(ds[0]))
print("done")
