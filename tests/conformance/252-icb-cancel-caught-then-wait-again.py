# 252-icb-cancel-caught-then-wait-again: the coroutine catches CancelledError and waits on another Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

first = Deferred()
second = Deferred()
@inlineCallbacks
def f():
    try:
        yield first
    except CancelledError:
        print("caught cancel, waiting again")
    v = yield second
    return "second:" + v
d = f()
d.addBoth(cb("outer"))
d.cancel()
print("after cancel " + st(d))
second.callback("s")
print("end " + st(d))
print("done")
