# 279-lock-run-without-function: 2.11.2 lock.run() with no function raises TypeError and leaves the lock free
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
try:
    lock.run()
    print("accepted")
except TypeError as e:
    print("raised " + tname(e))
print("locked " + fmt(lock.locked))
print("done")
