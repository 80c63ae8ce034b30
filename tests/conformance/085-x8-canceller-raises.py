# 085-x8-canceller-raises: X8 a raising canceller propagates out of cancel(); d stays unfired
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def canceller(x):
    raise ZeroDivisionError("in canceller")
d = Deferred(canceller)
d.addBoth(eat("both"))
attempt("cancel", d.cancel)
print(st(d))
d.callback("after")
print(st(d))
print("done")
