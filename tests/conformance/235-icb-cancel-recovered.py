# 235-icb-cancel-recovered: 2.14 the coroutine may catch the CancelledError and return a value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
@inlineCallbacks
def f():
    try:
        yield inner
    except CancelledError:
        print("caught cancel")
        return "recovered"
d = f()
d.addBoth(cb("outer"))
d.cancel()
print("outer " + st(d))
print("done")
