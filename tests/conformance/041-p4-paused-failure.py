# 041-p4-paused-failure: P4 a paused failed Deferred runs errbacks only at unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = fail(ValueError("pf"))
d.pause()
d.addErrback(eat("eb"))
print("paused " + st(d))
d.unpause()
print("unpaused " + st(d))
print("done")
