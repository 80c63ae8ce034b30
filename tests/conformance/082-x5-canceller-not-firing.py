# 082-x5-canceller-not-firing: X5 canceller called once with d; CancelledError; no suppression
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def canceller(x):
    print("canceller called, same deferred " + fmt(x is d))
d = Deferred(canceller)
d.addErrback(eat("eb"))
d.cancel()
d.cancel()
print(st(d))
attempt("late callback", lambda: d.callback("late"))
print(st(d))
print("done")
