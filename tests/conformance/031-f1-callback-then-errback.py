# 031-f1-callback-then-errback: F1 errback after callback raises
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.callback(1)
attempt("errback", lambda: d.errback(ValueError("late")))
print(st(d))
print("done")
