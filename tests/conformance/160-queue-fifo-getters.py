# 160-queue-fifo-getters: 2.11.1 getters are served FIFO; extra items stay pending
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
g1 = q.get()
g2 = q.get()
g1.addCallback(cb("g1"))
g2.addCallback(cb("g2"))
print("waiting " + fmt(len(q.waiting)))
q.put("a")
q.put("b")
q.put("c")
print("pending " + fmt(q.pending) + " waiting " + fmt(len(q.waiting)))
g3 = q.get()
print("g3 " + st(g3))
print("pending " + fmt(q.pending))
print("done")
