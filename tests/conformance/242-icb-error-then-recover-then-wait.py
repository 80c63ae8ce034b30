# 242-icb-error-then-recover-then-wait: inlineCallbacks: catch a failure, then wait again
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

later = Deferred()
@inlineCallbacks
def f():
    try:
        yield fail(KeyError("first"))
    except KeyError as e:
        print("caught " + tname(e))
    v = yield later
    return "after " + v
r = f()
r.addCallback(cb("r"))
later.callback("later")
print("done")
