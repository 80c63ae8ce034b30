# 055-c5-inner-itself-waiting: C5 an inner that is itself waiting is not stolen
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

leaf = Deferred()
mid = Deferred()
mid.addCallback(lambda r: leaf)
mid.callback(None)
outer = Deferred()
outer.addCallback(lambda r: mid).addCallback(cb("outer cb"))
outer.callback(None)
print("mid " + st(mid))
print("outer " + st(outer))
leaf.callback("leafv")
print("mid " + st(mid))
print("outer " + st(outer))
print("done")
