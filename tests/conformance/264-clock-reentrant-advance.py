# 264-clock-reentrant-advance: a call that advances the clock itself runs the due calls nested
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def nested():
    print("nested start at " + fmt(clock.seconds()))
    clock.advance(1)
    print("nested end at " + fmt(clock.seconds()))
clock.callLater(1, nested)
clock.callLater(2, lambda: print("two at " + fmt(clock.seconds())))
clock.callLater(3, lambda: print("three at " + fmt(clock.seconds())))
clock.advance(1)
print("now " + fmt(clock.seconds()) + " pending " + fmt(len(clock.getDelayedCalls())))
print("done")
