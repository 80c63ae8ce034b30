# 254-loopingcall-float-interval: LoopingCall with interval 0.1 under float arithmetic
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
times = []
lc = LoopingCall(lambda: times.append(clock.seconds()))
lc.clock = clock
lc.start(0.1)
for i in range(10):
    clock.advance(0.1)
print("calls " + fmt(len(times)))
print("times " + fmt(times))
clock.advance(0.35)
print("calls " + fmt(len(times)) + " last " + fmt(times[-1]))
print("next at " + fmt(clock.getDelayedCalls()[0].getTime()))
lc.stop()
print("done")
