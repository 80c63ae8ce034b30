# 130-l10-cancel-fire-on-one-errback: L10 cancel with fireOnOneErrback: FirstError wrapping CancelledError, index 1
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneErrback=True, consumeErrors=True)
def fe(f):
    print("dl eb " + tname(f) + " index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure))
dl.addErrback(fe)
dl.cancel()
print("a " + st(a))
print("b " + st(b))
print("done")
