# 251-icb-cancel-awaited-paused: cancelling inlineCallbacks while the awaited Deferred ignores cancel: outer waits on a fresh Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

p = succeed("held")
p.pause()
@inlineCallbacks
def f():
    v = yield p
    print("resumed with " + fmt(v))
    return "done:" + v
d = f()
d.addBoth(cb("outer"))
print("before cancel " + st(d))
d.cancel()
print("after cancel " + st(d))
p.unpause()
print("after unpause " + st(d))
print("done")
