# 253-icb-cancel-twice: cancelling inlineCallbacks twice while it keeps waiting
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
b = Deferred()
c = Deferred()
@inlineCallbacks
def f():
    for x in (a, b):
        try:
            yield x
        except CancelledError:
            print("caught cancel")
    v = yield c
    return v
d = f()
d.addBoth(cb("outer"))
d.cancel()
d.cancel()
print("after two cancels " + st(d))
c.callback("c")
print("done")
