# 133-dl-callback-after-fire-still-recorded: an input firing after a fireOnOneErrback DL fired keeps its own chain
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneErrback=True, consumeErrors=True)
dl.addErrback(lambda f: print("dl eb index " + fmt(f.value.index + 1)))
a.errback(ValueError("first"))
b.errback(KeyError("second"))
print("a " + st(a))
print("b " + st(b))
print("done")
