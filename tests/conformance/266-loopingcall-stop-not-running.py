# 266-loopingcall-stop-not-running: stop() on a LoopingCall that is not running raises AssertionError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lc = LoopingCall(lambda: None)
lc.clock = Clock()
try:
    lc.stop()
    print("stop accepted")
except AssertionError as e:
    print("stop raised " + tname(e))
print("done")
