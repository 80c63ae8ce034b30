# 245-icb-cancel-waiting-on-deferredlist: cancelling an inlineCallbacks Deferred waiting on a DeferredList cancels the inputs
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred(lambda d: print("cancel a"))
b = Deferred(lambda d: d.callback("b-from-cancel"))
@inlineCallbacks
def f():
    r = yield DeferredList([a, b], consumeErrors=True)
    print("list " + fmt(r))
    return "finished"
d = f()
d.addBoth(cb("outer"))
d.cancel()
print("d " + st(d))
print("done")
