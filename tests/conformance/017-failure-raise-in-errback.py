# 017-failure-raise-in-errback: f.raise() inside an errback keeps the exception
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

e = KeyError("kk")
d = Deferred()
def reraiser(f):
    print("reraiser got " + fmt(f))
    f.raiseException()
def eb2(f):
    print("eb2 got " + fmt(f) + " same " + fmt(f.value is e))
d.addErrback(reraiser).addErrback(eb2)
d.errback(e)
print(st(d))
print("done")
