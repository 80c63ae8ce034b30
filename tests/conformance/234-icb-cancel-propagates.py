# 234-icb-cancel-propagates: 2.14 cancelling the outer cancels the awaited Deferred; re-raise gives CancelledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda d: print("inner canceller"))
@inlineCallbacks
def f():
    try:
        yield inner
    except CancelledError as e:
        print("generator saw " + tname(e))
        raise
d = f()
d.addErrback(eat("outer eb"))
d.cancel()
print("outer " + st(d))
print("inner " + st(inner))
print("done")
