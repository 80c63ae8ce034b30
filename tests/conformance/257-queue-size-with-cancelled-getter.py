# 257-queue-size-with-cancelled-getter: DeferredQueue(1): after the only getter is cancelled, puts fill pending then overflow
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue(1)
g = q.get()
g.addErrback(eat("g eb"))
g.cancel()
attempt("put a", lambda: q.put("a"))
attempt("put b", lambda: q.put("b"))
print("pending " + fmt(q.pending) + " waiting " + fmt(len(q.waiting)))
print("done")
