# 002-s1-two-callbacks: each callback receives the previous return value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def add1(r):
    print("add1 got " + fmt(r))
    return r + 1
def mul10(r):
    print("mul10 got " + fmt(r))
    return r * 10
d.addCallback(add1).addCallback(mul10).addCallback(cb("last"))
d.callback(4)
print(st(d))
print("done")
