# 241-icb-sequential-waits: inlineCallbacks waiting on several unfired Deferreds in turn
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

ds = [Deferred() for i in range(3)]
@inlineCallbacks
def f():
    acc = []
    for d in ds:
        v = yield d
        print("got " + fmt(v))
        acc.append(v)
    return acc
r = f()
ds[0].callback("a")
print("r " + fmt(r.called))
ds[2].callback("c")
print("r " + fmt(r.called))
ds[1].callback("b")
print("r " + st(r))
print("done")
