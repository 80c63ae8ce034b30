# 005-s4-return-failure: S4 returning a Failure takes the error path
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def retf(r):
    print("retf got " + fmt(r))
    return Failure(ValueError("returned"))
d.addCallback(retf).addCallback(cb("skipped")).addErrback(eat("eb"))
d.callback(1)
print(st(d))
print("done")
