# 051-c2-inner-callbacks-before-and-after: C2 inner callbacks before the hand-off transform; after it they get nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
def up(r):
    print("inner-before got " + fmt(r))
    return r.upper()
inner.addCallback(up)
outer.addCallback(lambda r: inner).addCallback(cb("outer cb"))
outer.callback(None)
inner.addCallback(cb("inner-after"))
inner.callback("v")
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
