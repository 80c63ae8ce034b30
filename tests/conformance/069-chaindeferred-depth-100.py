# 069-chaindeferred-depth-100: a 100-long chainDeferred chain delivers the value to the end
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

N = 100
ds = [Deferred() for i in range(N)]
for i in range(N - 1):
    ds[i].chainDeferred(ds[i + 1])
ds[N - 1].addCallback(cb("last"))
ds[0].callback("top")
print("first " + st(ds[0]))
print("middle " + st(ds[50]))
print("last " + st(ds[N - 1]))
print("done")
