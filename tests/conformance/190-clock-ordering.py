# 190-clock-ordering: 2.13 Clock runs calls in time order, FIFO for equal times, and same-advance zero delays
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
print("start " + fmt(clock.seconds()))
def mark(name):
    print(name + "@" + fmt(clock.seconds()))
def s():
    mark("s")
    clock.callLater(0, mark, "z")
    clock.callLater(0.5, mark, "y")
clock.callLater(2, mark, "b")
clock.callLater(1, mark, "a")
clock.callLater(2, mark, "c")
clock.callLater(1, s)
print("advance 1")
clock.advance(1)
print("advance 5")
clock.advance(5)
print("now " + fmt(clock.seconds()) + " pending " + fmt(len(clock.getDelayedCalls())))
print("done")
