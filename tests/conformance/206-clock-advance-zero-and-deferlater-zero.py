# 206-clock-advance-zero-and-deferlater-zero: advance(0) runs zero-delay calls; deferLater(clock, 0)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
clock.callLater(0, lambda: print("zero call at " + fmt(clock.seconds())))
d = deferLater(clock, 0, lambda: "z")
d.addCallback(cb("d"))
print("before advance " + fmt(d.called))
clock.advance(0)
print("now " + fmt(clock.seconds()))
print("done")
