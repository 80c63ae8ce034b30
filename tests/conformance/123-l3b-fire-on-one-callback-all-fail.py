# 123-l3b-fire-on-one-callback-all-fail: L3b fireOnOneCallback with every input failing fires the full list
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneCallback=True, consumeErrors=True)
dl.addCallback(cb("dl"))
a.errback(ValueError("F1"))
b.errback(KeyError("F2"))
print("dl " + fmt(dl.called))
print("done")
