# 021-maybedeferred-value-args-raise: maybeDeferred wraps values, args and raises
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def add(a, b):
    return a + b
def bad():
    raise ValueError("md")
d1 = maybeDeferred(add, 2, 3)
print(st(d1))
d2 = maybeDeferred(bad)
print(st(d2))
d2.addErrback(eat("eb"))
def retfail():
    return Failure(KeyError("rf"))
d3 = maybeDeferred(retfail)
print(st(d3))
d3.addErrback(eat("eb3"))
print("done")
