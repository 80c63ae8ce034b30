# 115-unhandled-paused-recovered: a failure that recovers on the next run is not reported
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.pause()
d.errback(ValueError("held"))
d.addErrback(eat("eb"))
d.unpause()
print(st(d))
del d
gc.collect()
print("done")
