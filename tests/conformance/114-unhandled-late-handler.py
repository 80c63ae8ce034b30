# 114-unhandled-late-handler: a failure handled by a late errback before release is not reported
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = fail(ValueError("late"))
d2 = Deferred()
d2.errback(KeyError("k"))
d.addErrback(eat("late eb"))
d2.addErrback(lambda f: f.trap(KeyError))
print("d " + st(d))
print("d2 " + st(d2))
del d, d2
gc.collect()
print("done")
