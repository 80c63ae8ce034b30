# 098-canceller-pauses-deferred: cancelling: CancelledError lands on a paused Deferred and waits for unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def canceller(x):
    print("canceller pauses")
    x.pause()
d = Deferred(canceller)
d.addErrback(eat("eb"))
d.cancel()
print(st(d))
d.unpause()
print(st(d))
print("done")
