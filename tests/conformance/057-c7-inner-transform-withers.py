# 057-c7-inner-transform-withers: C7 callbacks added to inner before returning it transform what outer sees
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
def wrap(r):
    return [r]
def dup(r):
    return r + r
inner.addCallback(wrap)
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("outer 1")).addCallback(dup).addCallback(cb("outer 2"))
outer.callback(None)
inner.callback("withers")
print("done")
