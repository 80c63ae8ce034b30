# 166-queue-getter-runs-inside-put: 2.11.1 a getter's callbacks run synchronously inside put
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
def getter(v):
    print("getter got " + fmt(v) + " pending " + fmt(q.pending))
    q.put("from-getter")
    return v
q.get().addCallback(getter)
print("before put")
q.put("first")
print("after put pending " + fmt(q.pending))
print("done")
