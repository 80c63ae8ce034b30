# 191-delayedcall-reset-delay-cancel: 2.13 DelayedCall reset/delay/cancel and their errors
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
dc = clock.callLater(5, lambda: print("ran"))
print("time " + fmt(dc.getTime()) + " active " + fmt(dc.active()))
dc.reset(1)
print("after reset " + fmt(dc.getTime()))
dc.delay(2)
print("after delay " + fmt(dc.getTime()))
dc.cancel()
print("active " + fmt(dc.active()) + " pending " + fmt(len(clock.getDelayedCalls())))
for label, f in (("cancel", dc.cancel), ("reset", lambda: dc.reset(1)), ("delay", lambda: dc.delay(1))):
    try:
        f()
        print(label + " ok")
    except Exception as e:
        print(label + " raised " + tname(e))
dc2 = clock.callLater(1, lambda: print("dc2 ran"))
clock.advance(1)
print("dc2 active " + fmt(dc2.active()))
try:
    dc2.cancel()
    print("cancel ok")
except Exception as e:
    print("cancel after run raised " + tname(e))
print("done")
