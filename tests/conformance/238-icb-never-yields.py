# 238-icb-never-yields: 2.14 a coroutine that finishes without waiting returns a fired Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

@inlineCallbacks
def f(v):
    if False:
        yield
    return v + 1
d = f(10)
print(st(d))
print("done")
