# 271-icb-cancel-awaited-calls-back: cancelling inlineCallbacks when the awaited canceller calls back: the coroutine gets that value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda d: d.callback("from canceller"))
@inlineCallbacks
def f():
    v = yield inner
    print("resumed with " + fmt(v))
    return "ret:" + v
d = f()
d.addBoth(cb("outer"))
d.cancel()
print("outer " + st(d))
print("done")
