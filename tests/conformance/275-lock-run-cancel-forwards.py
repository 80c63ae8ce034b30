# 275-lock-run-cancel-forwards: cancelling lock.run's Deferred while f's Deferred is pending cancels it and releases the lock
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
work = Deferred(lambda d: print("work canceller"))
r = lock.run(lambda: work)
r.addErrback(eat("run eb"))
print("locked " + fmt(lock.locked))
r.cancel()
print("locked " + fmt(lock.locked) + " work " + st(work))
print("done")
