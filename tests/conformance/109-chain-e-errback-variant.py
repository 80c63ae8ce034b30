# 109-chain-e-errback-variant: 2.8 (e) errback variant: d2 gets the failure, d3 gets nil via callback
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2, d3 = Deferred(), Deferred(), Deferred()
d1.chainDeferred(d2)
d1.chainDeferred(d3)
d2.addCallbacks(cb("d2 cb"), eat("d2 eb"))
d3.addCallbacks(cb("d3 cb"), eat("d3 eb"))
d1.errback(ValueError("boom"))
print("d1 " + st(d1))
print("d3 " + st(d3))
print("done")
