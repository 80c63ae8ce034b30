# 144-gather-cancel: 2.10.2 cancelling gatherResults cancels the inputs: FirstError of CancelledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
g = gatherResults([a, b], consumeErrors=True)
g.addErrback(lambda f: print("g eb " + tname(f) + " index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure)))
g.cancel()
print("a " + st(a))
print("b " + st(b))
print("done")
