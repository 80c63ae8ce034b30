# 003-s2-raise-skips-to-errback: S2 raise skips callbacks; errback recovers
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def cb1(r):
    print("cb1 got " + fmt(r))
    raise ZeroDivisionError("division by zero")
def eb(f):
    print("eb got " + fmt(f))
    return "recovered"
d.addCallback(cb1).addCallback(cb("cb2")).addErrback(eb).addCallback(cb("cb3"))
d.callback("x")
print(st(d))
print("done")
