# 255-loopingcall-withcount-float: withCount with interval 0.3 and uneven advances
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
lc = LoopingCall.withCount(lambda n: print("count " + fmt(n) + " at " + fmt(clock.seconds())))
lc.clock = clock
lc.start(0.3, now=False)
for step in (0.3, 0.7, 0.05, 1.0, 0.25):
    clock.advance(step)
lc.stop()
print("done")
