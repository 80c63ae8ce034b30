# 007-s6-succeed-runs-synchronously: S6 succeed() runs callbacks inside addCallback
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = succeed(5)
print(st(d))
def dbl(r):
    print("dbl got " + fmt(r))
    return r * 2
print("before add")
d.addCallback(dbl)
print("after add")
print(st(d))
print("done")
