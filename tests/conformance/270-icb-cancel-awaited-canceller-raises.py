# 270-icb-cancel-awaited-canceller-raises: cancelling inlineCallbacks when the awaited canceller raises: 22.4 turns it into the outer's failure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def bad(d):
    raise ZeroDivisionError("canceller bug")
inner = Deferred(bad)
@inlineCallbacks
def f():
    v = yield inner
    return v
d = f()
d.addErrback(eat("outer eb"))
attempt("cancel", d.cancel)
print("outer " + st(d))
inner.callback("late")
print("outer " + st(d))
print("done")
