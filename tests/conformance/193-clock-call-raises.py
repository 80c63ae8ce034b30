# 193-clock-call-raises: 2.13 an exception in a call propagates out of advance; later calls stay queued
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def bad():
    print("bad runs")
    raise ValueError("in call")
clock.callLater(1, bad)
clock.callLater(1, lambda: print("second runs"))
attempt("advance", lambda: clock.advance(1))
print("pending " + fmt(len(clock.getDelayedCalls())) + " now " + fmt(clock.seconds()))
clock.advance(0)
print("pending " + fmt(len(clock.getDelayedCalls())))
print("done")
