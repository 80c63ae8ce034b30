# 236-icb-many-fired-yields: 2.5 yielding 100,000 already-fired Deferreds completes without recursion
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

@inlineCallbacks
def f(n):
    total = 0
    for i in range(n):
        v = yield succeed(1)
        total += v
    return total
d = f(100000)
print(st(d))
print("done")
