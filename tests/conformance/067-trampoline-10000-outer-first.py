# 067-trampoline-10000-outer-first: 10,000-deep returned-Deferred chain, fired outer first: outer sees leaf
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

N = 10000
ds = [Deferred() for i in range(N)]
def mk(nxt):
    return lambda r: nxt
for i in range(N - 1):
    ds[i].addCallback(mk(ds[i + 1]))
ds[0].addCallback(cb("outer"))
for i in range(N - 1):
    ds[i].callback(None)
ds[N - 1].callback("leaf")
print("all inner results nil " + fmt(all(ds[i].result is None for i in range(1, N))))
print("outer " + st(ds[0]))
print("done")
