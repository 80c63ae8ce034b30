# 087-x10-cancel-waiting-outer: X10 cancelling a waiting outer cancels the inner via the inner's canceller only
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda x: print("inner canceller"))
outer = Deferred(lambda x: print("outer canceller"))
outer.addCallback(lambda r: inner).addCallback(cb("outer cb")).addErrback(eat("outer eb"))
outer.callback(None)
outer.cancel()
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
