# 103-chain-b-handled: 2.8 (b) with d1's AlreadyCalledError handled: nothing reported
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
d1.chainDeferred(d2)
d2.callback("first")
d1.callback("hey")
d1.addErrback(eat("d1 eb"))
print("d1 " + st(d1))
print("d2 " + st(d2))
print("done")
