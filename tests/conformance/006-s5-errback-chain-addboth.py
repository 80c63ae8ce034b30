# 006-s5-errback-chain-addboth: S5 errback returns failure, next raises, addBoth recovers
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def eb1(f):
    print("eb1 got " + fmt(f))
    return f
def eb2(f):
    print("eb2 got " + fmt(f))
    raise KeyError("k2")
def both1(r):
    print("both1 got " + fmt(r))
    return "ok"
d.addErrback(eb1).addErrback(eb2).addBoth(both1).addBoth(cb("both2"))
d.errback(ValueError("first"))
print(st(d))
print("done")
