# 131-l11-cancel-after-fired: L11 cancel after the DL fired via fireOnOneCallback leaves the other inputs alone
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred(lambda d: print("a canceller must not run"))
b = Deferred(lambda d: print("b canceller must not run"))
dl = DeferredList([a, b], fireOnOneCallback=True)
dl.addCallback(lambda r: print("dl got " + fmt((r[0], r[1] + 1))))
a.callback("first")
dl.cancel()
print("b " + st(b))
print("dl " + st(dl))
print("done")
