# 089-x10-inner-canceller-calls-back: X10 inner's canceller calls back: outer gets that value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda x: x.callback("cancel-value"))
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("outer cb")).addErrback(eat("outer eb"))
outer.callback(None)
outer.cancel()
print("outer " + st(outer))
print("done")
