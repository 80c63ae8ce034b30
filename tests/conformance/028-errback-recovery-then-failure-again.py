# 028-errback-recovery-then-failure-again: recover, fail again, recover again
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def rec1(f):
    print("rec1 got " + fmt(f))
    return 1
def raise2(r):
    print("raise2 got " + fmt(r))
    raise KeyError("again")
def rec2(f):
    print("rec2 got " + fmt(f))
    return 2
d.addErrback(rec1).addCallback(raise2).addErrback(rec2).addCallback(cb("end"))
d.errback(ValueError("one"))
print(st(d))
print("done")
