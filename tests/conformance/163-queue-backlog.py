# 163-queue-backlog: 2.11.1 backlog=1: the second waiting get raises QueueUnderflow; backlog=0
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue(None, 1)
g1 = q.get()
attempt("second get", q.get)
print("waiting " + fmt(len(q.waiting)))
q.put("v")
g1.addCallback(cb("g1"))
q0 = DeferredQueue(None, 0)
attempt("get empty backlog 0", q0.get)
q0.put("p")
g = attempt("get with item backlog 0", q0.get)
g.addCallback(cb("g"))
print("done")
