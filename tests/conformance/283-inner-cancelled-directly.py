# 283-inner-cancelled-directly: the inner being cancelled directly sends its CancelledError to the waiting outer
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda x: print("inner canceller"))
outer = Deferred(lambda x: print("outer canceller must not run"))
outer.addCallback(lambda r: inner).addErrback(eat("outer eb"))
outer.callback(None)
inner.cancel()
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
