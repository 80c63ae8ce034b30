# expect-unhandled: 1
# 102-chain-b-target-already-fired: 2.8 (b) d2 already fired: AlreadyCalledError lives in d1's chain (reported once)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
d1.chainDeferred(d2)
d2.callback("first")
attempt("d1.callback", lambda: d1.callback("hey"))
print("d1 " + st(d1))
print("d2 " + st(d2))
del d1, d2
gc.collect()
print("done")
