# expect-unhandled: 1
# 101-chain-a-prime-unconsumed: 2.8 (a') as (a) but d2's CancelledError is never consumed: reported once
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
d1.chainDeferred(d2)
d2.cancel()
d1.callback("hey")
print("d1 " + st(d1))
print("d2 " + st(d2))
del d1, d2
gc.collect()
print("done")
