# 202-loopingcall-start-errors: 2.13 start twice raises AssertionError; a negative interval raises ValueError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
lc = LoopingCall(lambda: None)
lc.clock = clock
try:
    lc.start(-1)
    print("negative accepted")
except ValueError as e:
    print("negative raised " + tname(e))
lc.start(1)
try:
    lc.start(1)
    print("second start accepted")
except AssertionError as e:
    print("second start raised " + tname(e))
lc.stop()
print("running " + fmt(lc.running))
print("done")
