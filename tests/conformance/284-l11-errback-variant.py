# 284-l11-errback-variant: L11 cancel after a fireOnOneErrback DL fired leaves the other inputs alone
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
b = Deferred(lambda d: print("b canceller must not run"))
dl = DeferredList([a, b], fireOnOneErrback=True, consumeErrors=True)
dl.addErrback(lambda f: print("dl eb index " + fmt(f.value.index + 1)))
a.errback(ValueError("a"))
dl.cancel()
print("b " + st(b))
print("done")
