# 199-loopingcall-raises: 2.13 a raising f stops the LoopingCall and errbacks start's Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
n = [0]
def f():
    n[0] += 1
    print("call " + fmt(n[0]))
    if n[0] == 2:
        raise ValueError("loop bad")
lc = LoopingCall(f)
lc.clock = clock
d = lc.start(1)
d.addErrback(eat("start eb"))
clock.advance(1)
print("running " + fmt(lc.running))
clock.advance(5)
print("done")
