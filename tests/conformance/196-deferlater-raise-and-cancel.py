# 196-deferlater-raise-and-cancel: 2.13 deferLater: a raising callable fails; cancel removes the call
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def bad():
    raise KeyError("dl")
d = deferLater(clock, 1, bad)
d.addErrback(eat("d eb"))
clock.advance(1)
d2 = deferLater(clock, 5, lambda: print("must not run"))
d2.addErrback(eat("d2 eb"))
print("pending " + fmt(len(clock.getDelayedCalls())))
d2.cancel()
print("pending " + fmt(len(clock.getDelayedCalls())))
clock.advance(10)
print("done")
