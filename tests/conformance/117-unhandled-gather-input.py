# expect-unhandled: 1
# 117-unhandled-gather-input: gatherResults without consumeErrors: FirstError handled, the input still reported
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
g = gatherResults([a, succeed(1)])
g.addErrback(lambda f: print("g eb " + tname(f) + " index " + fmt(f.value.index + 1)))
a.errback(KeyError("lost input"))
del a, g
gc.collect()
print("done")
