# 086-x9-cancel-after-fire: X9 cancel after callback or errback is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def canceller(x):
    print("canceller must not run")
d1 = Deferred(canceller)
d1.callback("v")
d1.cancel()
print("d1 " + st(d1))
d2 = Deferred(canceller)
d2.errback(ValueError("e"))
d2.cancel()
d2.addErrback(eat("d2 eb"))
print("d2 " + st(d2))
print("done")
