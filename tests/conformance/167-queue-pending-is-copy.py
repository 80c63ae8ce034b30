# 167-queue-pending-is-copy: q.pending reflects puts and gets in order
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
for v in ["x", "y", "z"]:
    q.put(v)
print("pending " + fmt(q.pending))
q.get().addCallback(cb("get"))
print("pending " + fmt(q.pending))
print("done")
