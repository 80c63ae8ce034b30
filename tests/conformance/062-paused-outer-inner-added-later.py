# 062-paused-outer-inner-added-later: test_pausedDeferredChained: with outer paused, callbacks added to inner later still run
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
outer.pause()
outer.addCallback(lambda r: inner)
outer.callback(None)
inner.callback(None)
inner.addCallback(cb("inner added later"))
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
