# 192-clock-pump-and-args: 2.13 pump({1, 1}) runs the calls due at 1 and 2; callLater passes args
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def f(a, b):
    print("f " + fmt(a) + " " + fmt(b) + " at " + fmt(clock.seconds()))
clock.callLater(1, f, "x", 1)
clock.callLater(2, f, "y", 2)
clock.callLater(3, f, "z", 3)
clock.pump([1, 1])
print("now " + fmt(clock.seconds()) + " pending " + fmt(len(clock.getDelayedCalls())))
print("done")
