# 026-long-chain-count: twenty callbacks each add one
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def inc(r):
    return r + 1
for i in range(20):
    d.addCallback(inc)
d.callback(0)
print(st(d))
print("done")
