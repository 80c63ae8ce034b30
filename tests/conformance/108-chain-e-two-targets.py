# 108-chain-e-two-targets: 2.8 (e) d1 chained to d2 and d3: d3 gets nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2, d3 = Deferred(), Deferred(), Deferred()
d1.chainDeferred(d2)
d1.chainDeferred(d3)
d2.addCallback(cb("d2"))
d3.addCallback(cb("d3"))
d1.callback("hey")
print("d1 " + st(d1))
print("done")
