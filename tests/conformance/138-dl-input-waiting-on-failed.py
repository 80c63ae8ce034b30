# 138-dl-input-waiting-on-failed: a DL input whose chain waits on an inner that later fails
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
a = Deferred()
a.addCallback(lambda r: inner)
dl = DeferredList([a], consumeErrors=True)
dl.addCallback(cb("dl"))
a.callback(None)
print("dl " + fmt(dl.called))
inner.errback(ValueError("deep"))
print("a " + st(a))
print("done")
