# 124-l4-fire-on-one-errback: L4 fireOnOneErrback: FirstError with 1-based index and the same subFailure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneErrback=True)
fb = Failure(KeyError("kb"))
def fe(f):
    e = f.value
    print("dl eb " + tname(f) + " index " + fmt(e.index + 1) + " sub " + fmt(e.subFailure) + " same " + fmt(e.subFailure is fb))
dl.addCallbacks(cb("dl cb"), fe)
a.callback("A")
print("after a " + fmt(dl.called))
b.errback(fb)
print("b " + st(b))
b.addErrback(eat("b late eb"))
print("done")
