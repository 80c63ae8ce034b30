# 239-icb-sequence-with-clock: inlineCallbacks sequencing deferLater steps on a Clock
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
@inlineCallbacks
def steps():
    for i in range(3):
        v = yield deferLater(clock, 1, lambda i=i: i * 10)
        print("step " + fmt(i + 1) + " got " + fmt(v) + " at " + fmt(clock.seconds()))
    return "all"
d = steps()
d.addCallback(cb("steps"))
clock.advance(1)
clock.advance(1)
print("mid " + fmt(d.called))
clock.advance(1)
print("done")
