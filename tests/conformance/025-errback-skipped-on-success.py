# 025-errback-skipped-on-success: errbacks are skipped on the success path
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addErrback(eat("eb1")).addCallback(cb("cb1")).addErrback(eat("eb2")).addBoth(cb("both"))
d.callback(42)
print(st(d))
print("done")
