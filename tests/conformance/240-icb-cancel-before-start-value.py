# 240-icb-cancel-before-start-value: cancelling a finished inlineCallbacks Deferred is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

@inlineCallbacks
def f():
    yield succeed(None)
    return "fin"
d = f()
d.cancel()
print(st(d))
print("done")
