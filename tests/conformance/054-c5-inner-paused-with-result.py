# 054-c5-inner-paused-with-result: C5 a paused inner with a result is not stolen; outer waits for unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = succeed("pv")
inner.pause()
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("outer cb"))
outer.callback(None)
print("outer " + st(outer))
print("inner " + st(inner))
inner.unpause()
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
