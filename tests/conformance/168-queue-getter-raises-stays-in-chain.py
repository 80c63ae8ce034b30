# 168-queue-getter-raises-stays-in-chain: a getter callback that raises fails the getter's chain, not put()
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
g = q.get()
def bad(v):
    raise ValueError("getter " + v)
g.addCallback(bad).addErrback(eat("getter eb"))
attempt("put", lambda: q.put("x"))
print("pending " + fmt(q.pending))
print("done")
