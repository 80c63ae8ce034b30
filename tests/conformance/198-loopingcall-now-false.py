# 198-loopingcall-now-false: 2.13 LoopingCall now=False: the first call is at t=interval
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
lc = LoopingCall(lambda: print("tick at " + fmt(clock.seconds())))
lc.clock = clock
lc.start(1.5, now=False)
print("started")
clock.advance(1)
clock.advance(0.5)
clock.advance(1.5)
lc.stop()
print("done")
