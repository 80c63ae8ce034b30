# 107-chain-d-later-callbacks-get-nil: 2.8 (d) callbacks added to d1 after the chain step get nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1, d2 = Deferred(), Deferred()
r = d1.chainDeferred(d2)
print("returns d1 " + fmt(r is d1))
d1.addCallback(cb("report"))
d1.callback("hey")
print("d2 " + st(d2))
print("done")
