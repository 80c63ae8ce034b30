# 194-clock-negative-delay: 2.13 Clock.callLater accepts a negative delay (a time in the past)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
clock.advance(2)
dc = clock.callLater(-1, lambda: print("past call at " + fmt(clock.seconds())))
print("time " + fmt(dc.getTime()))
clock.advance(0)
print("done")
