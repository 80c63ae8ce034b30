# 162-queue-size-zero-rendezvous: 2.11.1 size=0: put raises with no getter, delivers to a waiting getter
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue(0)
attempt("put alone", lambda: q.put("x"))
g = q.get()
g.addCallback(cb("getter"))
attempt("put with getter", lambda: q.put("y"))
print("pending " + fmt(q.pending))
print("done")
