# 212-t3-t4-canceller-results: T3/T4 a canceller's callback value or its own failure wins over TimeoutError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d1 = Deferred(lambda d: d.callback("cancel-value")).addTimeout(1, clock)
d1.addBoth(eat("d1"))
d2 = Deferred(lambda d: d.errback(KeyError("kc"))).addTimeout(1, clock)
d2.addBoth(eat("d2"))
clock.advance(1)
print("done")
