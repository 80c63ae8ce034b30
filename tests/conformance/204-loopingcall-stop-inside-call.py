# 204-loopingcall-stop-inside-call: stop() from inside f: no further calls; start's Deferred fires
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
n = [0]
def f():
    n[0] += 1
    print("call " + fmt(n[0]) + " at " + fmt(clock.seconds()))
    if n[0] == 3:
        lc.stop()
lc = LoopingCall(f)
lc.clock = clock
lc.start(1).addCallback(lambda r: print("stopped " + fmt(r is lc)))
clock.advance(1)
clock.advance(1)
clock.advance(1)
print("running " + fmt(lc.running) + " pending " + fmt(len(clock.getDelayedCalls())))
print("done")
