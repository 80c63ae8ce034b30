# 099-cancel-waiting-outer-inner-canceller-errbacks: X10 variant: inner's canceller errbacks KeyError; outer sees KeyError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda d: d.errback(KeyError("inner-cancel")))
outer = Deferred()
outer.addCallback(lambda r: inner).addErrback(eat("outer eb"))
outer.callback(None)
outer.cancel()
print("outer " + st(outer))
print("inner " + st(inner))
print("done")
