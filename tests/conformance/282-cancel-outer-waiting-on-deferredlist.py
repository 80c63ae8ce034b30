# 282-cancel-outer-waiting-on-deferredlist: cancelling an outer that waits on a DeferredList cancels the list's inputs
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred(lambda x: print("a canceller"))
b = Deferred(lambda x: x.callback("b from canceller"))
outer = Deferred()
outer.addCallback(lambda r: DeferredList([a, b], consumeErrors=True))
outer.addCallback(cb("outer"))
outer.callback(None)
outer.cancel()
print("outer " + st(outer))
print("done")
