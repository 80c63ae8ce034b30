# 256-loopingcall-slow-deferred-skips: f's Deferred outlasting several intervals: next call at the next boundary, withCount sees the skip
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
gates = []
def f(n):
    print("count " + fmt(n) + " at " + fmt(clock.seconds()))
    d = Deferred()
    gates.append(d)
    return d
lc = LoopingCall.withCount(f)
lc.clock = clock
lc.start(1)
clock.advance(3.5)
gates[0].callback(None)
clock.advance(0.5)
gates[1].callback(None)
clock.advance(1)
lc.stop()
print("done")
