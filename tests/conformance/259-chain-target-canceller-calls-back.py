# 259-chain-target-canceller-calls-back: chainDeferred: d2's canceller calls back, then d1 fires into an already-called d2
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = Deferred()
d2 = Deferred(lambda d: d.callback("from d2 canceller"))
d1.chainDeferred(d2)
d2.addBoth(cb("d2"))
d2.cancel()
d1.callback("hey")
d1.addErrback(eat("d1 eb"))
print("d1 " + st(d1))
print("d2 " + st(d2))
print("done")
