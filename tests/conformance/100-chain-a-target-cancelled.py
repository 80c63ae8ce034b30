# 100-chain-a-target-cancelled: 2.8 (a) d2 cancelled, then d1.callback: swallowed, d1 gets nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
d1.chainDeferred(d2)
d2.addBoth(eat("d2"))
d2.cancel()
d1.callback("hey")
d1.addBoth(eat("d1"))
print("d1 " + st(d1))
print("d2 " + st(d2))
print("done")
