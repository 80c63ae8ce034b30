# 173-lock-run-raises: 2.11.2 run() with a raising function releases the lock and fails
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
def bad():
    raise ValueError("in run")
r = lock.run(bad)
print("locked " + fmt(lock.locked))
r.addErrback(eat("run eb"))
print("done")
