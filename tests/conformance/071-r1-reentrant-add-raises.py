# 071-r1-reentrant-add-raises: R1 a re-entrantly added callback that raises feeds the next errback
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def bad(r):
    print("bad got " + fmt(r))
    raise ValueError("reentrant")
def cb1(r):
    d.addCallback(bad)
    d.addErrback(eat("eb"))
    return "c1"
d.addCallback(cb1)
d.callback(0)
print(st(d))
print("done")
