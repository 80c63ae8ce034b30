# 072-r2-nested-run-of-inner: R2 outer's callback adding to inner runs inner's late callbacks nested
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
outer = Deferred()
outer.addCallback(lambda r: inner)
outer.callback(None)
def late1(r):
    print("inner-late-1 got " + fmt(r))
    return "i1"
inner.addCallback(late1)
def outer_cb(r):
    print("outer_cb got " + fmt(r))
    inner.addCallback(cb("inner-added-by-outer"))
    print("outer_cb end")
    return "o"
outer.addCallback(outer_cb)
inner.callback("V")
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
