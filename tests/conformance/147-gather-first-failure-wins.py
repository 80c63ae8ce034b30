# 147-gather-first-failure-wins: gatherResults reports the first failure to happen, not the lowest index
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b, c = Deferred(), Deferred(), Deferred()
g = gatherResults([a, b, c], consumeErrors=True)
g.addErrback(lambda f: print("g eb index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure)))
c.errback(ValueError("c first"))
a.errback(ValueError("a second"))
b.callback("b")
print("g " + st(g))
print("done")
