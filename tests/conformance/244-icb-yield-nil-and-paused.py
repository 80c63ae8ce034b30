# 244-icb-yield-nil-and-paused: yield(nil) resumes with nil; yielding a paused fired Deferred waits for unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

p = succeed("pv")
p.pause()
@inlineCallbacks
def f():
    x = yield None
    print("x " + fmt(x))
    y = yield p
    print("y " + fmt(y))
    return y
d = f()
print("d " + fmt(d.called))
p.unpause()
print("d " + st(d))
print("done")
