# 176-lock-run-failed-deferred: lock.run with f returning a failed Deferred releases and fails
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
r = lock.run(lambda: fail(KeyError("run-failed")))
print("locked " + fmt(lock.locked))
r.addErrback(eat("run eb"))
print("done")
