# 078-inner-cancels-waiting-outer: an inner's callback cancelling the outer that waits on it
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
outer = Deferred(lambda d: print("outer canceller"))
outer.addCallback(lambda r: inner).addBoth(cb("outer both"))
outer.callback(None)
def killer(r):
    print("killer got " + fmt(r))
    outer.cancel()
    return r
inner.addCallback(killer)
inner.callback("iv")
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
