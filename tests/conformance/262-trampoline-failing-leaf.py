# 262-trampoline-failing-leaf: 10,000-deep chain whose leaf fails: the outer errback gets the failure, nothing else is reported
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

N = 10000
ds = [Deferred() for i in range(N)]
def mk(nxt):
    return lambda r: nxt
for i in range(N - 1):
    ds[i].addCallback(mk(ds[i + 1]))
ds[0].addErrback(eat("outer eb"))
for i in range(N - 1):
    ds[i].callback(None)
ds[N - 1].errback(KeyError("leaf failed"))
print("outer " + st(ds[0]))
print("leaf " + st(ds[N - 1]))
print("done")
