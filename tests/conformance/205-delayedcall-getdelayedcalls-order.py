# 205-delayedcall-getdelayedcalls-order: getDelayedCalls lists pending calls; cancel removes one; reset moves one
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
a = clock.callLater(3, print, "a")
b = clock.callLater(1, print, "b")
c = clock.callLater(2, print, "c")
print("times " + fmt(sorted(dc.getTime() for dc in clock.getDelayedCalls())))
b.cancel()
c.reset(5)
print("times " + fmt(sorted(dc.getTime() for dc in clock.getDelayedCalls())))
clock.advance(10)
print("done")
