# 274-dl-cancel-forwards-through-waiting-input: DL.cancel() on an input that waits on an inner forwards to the inner's canceller
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda d: print("inner canceller"))
a = Deferred(lambda d: print("a canceller must not run"))
a.addCallback(lambda r: inner)
a.callback(None)
dl = DeferredList([a], consumeErrors=True)
dl.addCallback(cb("dl"))
dl.cancel()
print("a " + st(a))
print("done")
