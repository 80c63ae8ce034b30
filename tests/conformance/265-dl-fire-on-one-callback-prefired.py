# 265-dl-fire-on-one-callback-prefired: fireOnOneCallback with an already-fired input fires in the constructor with its index
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

b = Deferred(lambda d: print("b canceller must not run"))
dl = DeferredList([b, succeed("pre")], fireOnOneCallback=True)
print("constructed " + fmt(dl.called))
dl.addCallback(lambda r: print("dl got " + fmt((r[0], r[1] + 1))))
b.callback("later")
print("b " + st(b))
print("done")
