# 104-chain-c-source-cancelled: 2.8 (c) d1.cancel(): d1's canceller runs, d2's does not; d2 gets CancelledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = Deferred(lambda d: print("d1 canceller called"))
d2 = Deferred(lambda d: print("d2 canceller called"))
d1.chainDeferred(d2)
d2.addBoth(eat("d2"))
d1.cancel()
print("d1 " + st(d1))
print("d2 " + st(d2))
print("done")
