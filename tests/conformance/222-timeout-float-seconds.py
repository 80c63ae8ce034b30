# 222-timeout-float-seconds: a fractional timeout keeps its value in TimeoutError args
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred().addTimeout(0.25, clock)
d.addErrback(lambda f: print("eb " + tname(f) + " " + fmt(f.value.args) + " at " + fmt(clock.seconds())))
clock.advance(0.125)
clock.advance(0.125)
print("done")
