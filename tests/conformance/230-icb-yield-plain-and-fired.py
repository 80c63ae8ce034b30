# 230-icb-yield-plain-and-fired: 2.14 yielding a plain value or a fired Deferred resumes synchronously
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

@inlineCallbacks
def f1():
    x = yield 5
    print("x " + fmt(x))
    y = yield succeed(6)
    print("y " + fmt(y))
    return x + y
d = f1()
print(st(d))
print("done")
