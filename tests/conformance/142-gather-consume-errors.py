# 142-gather-consume-errors: 2.10.2 gatherResults(consumeErrors): the input's result becomes nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
g = gatherResults([a, b], consumeErrors=True)
g.addErrback(lambda f: print("g eb index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure)))
b.errback(ValueError("bad"))
print("b " + st(b))
print("done")
