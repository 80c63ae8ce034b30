# 105-chain-c-prime-target-canceller: 2.8 (c') d2 has a non-firing canceller: d1.callback makes d1 fail with AlreadyCalledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = Deferred()
d2 = Deferred(lambda d: print("d2 canceller called"))
d1.chainDeferred(d2)
d2.addBoth(eat("d2"))
d2.cancel()
d1.callback("hey")
d1.addErrback(eat("d1 eb"))
print("d1 " + st(d1))
print("d2 " + st(d2))
print("done")
