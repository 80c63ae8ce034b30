# 261-delayedcall-delay-reorders: delay() and reset() reorder pending calls; equal times stay FIFO
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
calls = {}
for name, t in (("a", 1), ("b", 2), ("c", 3)):
    calls[name] = clock.callLater(t, lambda n=name: print(n + "@" + fmt(clock.seconds())))
calls["a"].delay(2)
calls["c"].reset(0.5)
clock.advance(1)
clock.advance(2)
print("done")
