# 106-chain-c-reverse-target-cancel: 2.8 (c) reverse: d2.cancel() calls only d2's canceller; d1 stays unfired
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = Deferred(lambda d: print("d1 canceller called"))
d2 = Deferred(lambda d: print("d2 canceller called"))
d1.chainDeferred(d2)
d2.addBoth(eat("d2"))
d2.cancel()
print("d1 " + st(d1))
print("d2 " + st(d2))
print("done")
