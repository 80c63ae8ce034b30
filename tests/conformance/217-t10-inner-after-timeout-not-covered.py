# 217-t10-inner-after-timeout-not-covered: T10 a callback added after addTimeout returning inner is not covered
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
inner = Deferred(lambda d: print("inner canceller must not run"))
d = Deferred().addTimeout(10, clock)
d.addCallback(lambda r: inner)
d.callback("x")
print("pending " + fmt(len(clock.getDelayedCalls())))
clock.advance(10)
print("d " + st(d))
inner.callback("in")
print("d " + st(d))
print("done")
