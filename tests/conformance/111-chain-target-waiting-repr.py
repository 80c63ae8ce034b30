# 111-chain-target-waiting-repr: chainDeferred: d2 shows "waiting on" until it fires
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
d1.chainDeferred(d2)
print("d2 waiting " + fmt("waiting on" in repr(d2)))
d1.callback(1)
print("d2 waiting " + fmt("waiting on" in repr(d2)))
print("d2 " + st(d2))
print("done")
