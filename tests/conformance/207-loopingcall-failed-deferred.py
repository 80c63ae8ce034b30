# 207-loopingcall-failed-deferred: f returning a failed Deferred stops the loop with that failure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
lc = LoopingCall(lambda: fail(ValueError("lc-deferred")))
lc.clock = clock
lc.start(1).addErrback(eat("start eb"))
print("running " + fmt(lc.running) + " pending " + fmt(len(clock.getDelayedCalls())))
print("done")
