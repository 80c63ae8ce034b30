# 088-x10-inner-without-canceller-swallows: X10 inner without canceller: its one late callback is swallowed
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
outer = Deferred()
outer.addCallback(lambda r: inner).addErrback(eat("outer eb"))
outer.callback(None)
outer.cancel()
attempt("inner late callback", lambda: inner.callback("late"))
attempt("inner second late callback", lambda: inner.callback("later"))
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
