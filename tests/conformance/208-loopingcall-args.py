# 208-loopingcall-args: LoopingCall(f, a, b) passes its args each time
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
lc = LoopingCall(lambda a, b: print("call " + fmt(a) + " " + fmt(b) + " at " + fmt(clock.seconds())), "x", 2)
lc.clock = clock
lc.start(0.5)
clock.advance(0.5)
clock.advance(0.5)
lc.stop()
print("done")
