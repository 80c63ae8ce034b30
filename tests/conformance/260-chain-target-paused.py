# 260-chain-target-paused: chainDeferred into a paused target: the target holds the value until unpaused
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
d2.pause()
d1.chainDeferred(d2)
d2.addCallback(cb("d2"))
d1.callback("v")
print("d1 " + st(d1))
print("d2 " + st(d2))
d2.unpause()
print("d2 " + st(d2))
print("done")
