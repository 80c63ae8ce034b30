# 197-loopingcall-basic: 2.13 LoopingCall interval 2, now=True; missed intervals collapse; stop fires with the LoopingCall
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def tick():
    print("tick at " + fmt(clock.seconds()))
lc = LoopingCall(tick)
lc.clock = clock
d = lc.start(2)
print("running " + fmt(lc.running))
clock.advance(2)
clock.advance(2)
clock.advance(7)
d.addCallback(lambda r: print("stopped with lc " + fmt(r is lc)))
lc.stop()
print("running " + fmt(lc.running))
clock.advance(10)
print("done")
