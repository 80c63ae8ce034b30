# 127-l7-callbacks-before-and-after: L7 input callbacks before the DL transform; after it they see the pass-through
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
def plus(r):
    return r + 100
a.addCallback(plus)
b = Deferred()
dl = DeferredList([a, b], consumeErrors=True)
a.addCallback(cb("a after"))
b.addBoth(cb("b after"))
dl.addCallback(cb("dl"))
a.callback(7)
b.errback(ValueError("bx"))
print("a " + st(a))
print("b " + st(b))
print("done")
