# 161-queue-size-overflow: 2.11.1 size=2: the third put raises QueueOverflow synchronously
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue(2)
q.put(1)
q.put(2)
attempt("put 3", lambda: q.put(3))
print("pending " + fmt(q.pending))
print("done")
