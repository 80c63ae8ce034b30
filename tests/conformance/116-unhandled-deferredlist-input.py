# expect-unhandled: 1
# 116-unhandled-deferredlist-input: a DeferredList input failure without consumeErrors is reported for the input
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b])
dl.addCallback(cb("dl"))
a.errback(ValueError("input"))
b.callback("B")
del a, b, dl
gc.collect()
print("done")
