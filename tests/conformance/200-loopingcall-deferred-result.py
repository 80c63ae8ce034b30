# 200-loopingcall-deferred-result: 2.13 f returning a Deferred: the next call waits for it, then the next boundary
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
pending = []
def f():
    print("call at " + fmt(clock.seconds()))
    d = Deferred()
    pending.append(d)
    return d
lc = LoopingCall(f)
lc.clock = clock
lc.start(2)
clock.advance(5)
print("calls so far " + fmt(len(pending)))
pending[0].callback(None)
clock.advance(1)
print("calls so far " + fmt(len(pending)))
lc.stop()
print("done")
