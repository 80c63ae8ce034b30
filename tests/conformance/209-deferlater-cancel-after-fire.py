# 209-deferlater-cancel-after-fire: cancelling a fired deferLater is a no-op; the call already ran
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = deferLater(clock, 1, lambda: "v")
clock.advance(1)
d.cancel()
print(st(d))
print("done")
