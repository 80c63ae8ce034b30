# 136-dl-both-fire-on-one-flags: fireOnOneCallback and fireOnOneErrback together: the first event decides
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneCallback=True, fireOnOneErrback=True, consumeErrors=True)
dl.addCallbacks(lambda r: print("dl cb " + fmt((r[0], r[1] + 1))), lambda f: print("dl eb index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure)))
b.errback(ValueError("b first"))
a.callback("a later")
print("dl " + fmt(dl.called))
print("done")
