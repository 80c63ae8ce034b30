# 059-c8-inner-fails-later: an inner that errbacks later sends outer down the errback path
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("skipped")).addErrback(eat("outer eb"))
outer.callback(None)
inner.addErrback(eat("inner late eb"))
inner.errback(KeyError("late"))
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
