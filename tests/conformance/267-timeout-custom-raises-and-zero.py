# 267-timeout-custom-raises-and-zero: onTimeoutCancel raising becomes the failure; a zero timeout fires on advance(0)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def custom(v, t):
    raise ValueError("custom " + str(t))
d = Deferred().addTimeout(0, clock, onTimeoutCancel=custom)
d.addErrback(eat("eb"))
print("before " + fmt(d.called))
clock.advance(0)
print(st(d))
print("done")
