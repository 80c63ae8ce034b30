# 164-queue-testqueue-sequence: 2.11.1 testQueue: DeferredQueue(2, 2) sequence
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue(2, 2)
gets = [q.get(), q.get()]
attempt("third get", q.get)
q.put(0)
q.put(1)
q.put(2)
q.put(3)
attempt("put nil", lambda: q.put(None))
for i, g in enumerate(gets):
    print("get " + fmt(i + 1) + " " + st(g))
q.get().addCallback(cb("later get"))
q.get().addCallback(cb("later get"))
print("pending " + fmt(q.pending))
print("done")
