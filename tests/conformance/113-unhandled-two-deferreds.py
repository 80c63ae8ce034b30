# expect-unhandled: 2
# 113-unhandled-two-deferreds: two Deferreds ending in failure: two reports
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
b = Deferred()
def reraise(f):
    print("eb got " + fmt(f))
    return f
a.addErrback(reraise)
a.errback(KeyError("a"))
b.addCallback(cb("b cb"))
b.callback(1)
def braise(r):
    raise ValueError("b")
b.addCallback(braise)
print("a " + st(a))
print("b " + st(b))
del a, b
gc.collect()
print("done")
