# 110-chain-failure-identity: chainDeferred hands d1's Failure object itself to d2
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
f0 = Failure(KeyError("kc"))
d1.chainDeferred(d2)
def eb(f):
    print("d2 eb same failure " + fmt(f is f0) + " " + fmt(f))
d2.addErrback(eb)
d1.errback(f0)
print("d1 " + st(d1))
print("done")
