# 276-queue-cancel-fulfilled-get: cancelling a get that was already fulfilled is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
g = q.get()
q.put("v")
g.cancel()
print("g " + st(g))
q.put("w")
print("pending " + fmt(q.pending))
print("done")
