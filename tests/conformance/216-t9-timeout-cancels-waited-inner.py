# 216-t9-timeout-cancels-waited-inner: T9 the timeout cancels the inner Deferred the chain waits on
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
inner = Deferred(lambda d: print("inner canceller"))
d = Deferred()
d.addCallback(lambda r: inner)
d.addTimeout(5, clock)
d.addErrback(lambda f: print("eb " + tname(f) + " " + fmt(f.value.args)))
d.callback(None)
clock.advance(5)
print("inner " + st(inner))
print("done")
