# 092-x13-outer-waits-on-paused-inner: X13 outer waiting on a paused inner with a result: cancel is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = succeed("iv")
inner.pause()
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("outer cb")).addErrback(eat("outer eb"))
outer.callback(None)
outer.cancel()
print("outer " + st(outer))
inner.unpause()
print("outer " + st(outer))
print("done")
