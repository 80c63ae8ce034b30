# 011-addcallbacks-args: callbackArgs / errbackArgs reach the right slot
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = Deferred()
d1.addCallbacks(cb("cb"), eat("eb"), callbackArgs=(1, 2), errbackArgs=(3,))
d1.callback("v")
d2 = Deferred()
d2.addCallbacks(cb("cb"), eat("eb"), callbackArgs=(1, 2), errbackArgs=(3,))
d2.errback(ValueError("e"))
print(st(d1))
print(st(d2))
print("done")
