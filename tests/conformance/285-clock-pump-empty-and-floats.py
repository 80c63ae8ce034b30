# 285-clock-pump-empty-and-floats: pump({}) does nothing; pump with fractional steps
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
clock.callLater(0.75, lambda: print("fired at " + fmt(clock.seconds())))
clock.pump([])
print("now " + fmt(clock.seconds()))
clock.pump([0.25, 0.25, 0.25, 0.25])
print("now " + fmt(clock.seconds()))
print("done")
