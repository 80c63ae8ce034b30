# 083-x6-canceller-callbacks: X6 a canceller that calls back: no CancelledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def canceller(x):
    x.callback("from canceller")
d = Deferred(canceller)
d.addCallback(cb("cb")).addErrback(eat("eb"))
d.cancel()
print(st(d))
print("done")
