# 010-addcallbacks-nil-errback-passes-through: addCallbacks(cb, nil) passes a failure through
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addCallbacks(cb("cb1"), None)
d.addCallbacks(cb("cb2"), eat("eb2"))
d.errback(ValueError("x"))
print(st(d))
print("done")
