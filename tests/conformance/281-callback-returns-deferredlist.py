# 281-callback-returns-deferredlist: a callback returning a DeferredList chains on it like any Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
d = Deferred()
d.addCallback(lambda r: DeferredList([a, succeed(r)]))
d.addCallback(cb("d"))
d.callback("x")
print("d " + st(d))
a.callback("a")
print("d " + st(d))
print("done")
