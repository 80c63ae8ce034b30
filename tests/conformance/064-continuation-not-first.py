# 064-continuation-not-first: test_callbackOrderPreserved: outer callbacks queued after the wait run after the inner chain
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
inner.addCallback(cb("inner pre"))
outer.addCallback(lambda r: inner)
outer.addCallback(cb("outer final"))
outer.callback(None)
inner.addCallback(cb("inner post"))
inner.callback("x")
print("done")
