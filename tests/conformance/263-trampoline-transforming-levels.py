# 263-trampoline-transforming-levels: 1,000-deep chain where every inner adds one after its inner resolves
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

N = 1000
ds = [Deferred() for i in range(N)]
def inc(r):
    return r + 1
def mk(nxt):
    return lambda r: nxt
for i in range(N - 1):
    ds[i].addCallback(mk(ds[i + 1]))
for i in range(1, N):
    ds[i].addCallback(inc)
ds[0].addCallback(cb("outer"))
for i in range(N - 1):
    ds[i].callback(None)
ds[N - 1].callback(0)
print("done")
