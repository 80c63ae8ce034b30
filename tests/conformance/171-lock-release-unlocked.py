# 171-lock-release-unlocked: 2.11.2 releasing an unlocked lock raises AssertionError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
try:
    lock.release()
    print("no error")
except AssertionError as e:
    print("raised " + tname(e))
print("locked " + fmt(lock.locked))
print("done")
