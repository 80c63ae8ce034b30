# 084-x7-canceller-errbacks: X7 a canceller that errbacks KeyError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def canceller(x):
    x.errback(KeyError("from canceller"))
d = Deferred(canceller)
d.addCallback(cb("cb")).addErrback(eat("eb"))
d.cancel()
print(st(d))
print("done")
