# 165-queue-cancel-waiting-get: X15 cancelling a waiting get removes it; a later put skips it
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

q = DeferredQueue()
g1 = q.get()
g2 = q.get()
g1.addErrback(eat("g1 eb"))
g2.addCallback(cb("g2"))
g1.cancel()
print("waiting " + fmt(len(q.waiting)))
q.put("item")
print("pending " + fmt(q.pending))
g2.cancel()
print("g2 " + st(g2))
print("done")
