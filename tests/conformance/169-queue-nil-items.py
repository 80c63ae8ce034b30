# 169-queue-nil-items: nil items in a DeferredQueue keep their place
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
q.put(None)
q.put("x")
print("pending " + fmt(q.pending))
q.get().addCallback(cb("get1"))
q.get().addCallback(cb("get2"))
print("pending " + fmt(q.pending))
print("done")
