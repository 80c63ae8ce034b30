# 201-loopingcall-withcount: 2.13 withCount passes the number of elapsed intervals
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def f(count):
    print("count " + fmt(count) + " at " + fmt(clock.seconds()))
lc = LoopingCall.withCount(f)
lc.clock = clock
lc.start(1)
clock.advance(1)
clock.advance(3.5)
lc.stop()
print("done")
