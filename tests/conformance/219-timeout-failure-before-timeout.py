# 219-timeout-failure-before-timeout: a failure before the timeout passes through unchanged
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred().addTimeout(5, clock)
d.addErrback(eat("eb"))
d.errback(ValueError("early"))
print("pending " + fmt(len(clock.getDelayedCalls())))
print("done")
