# 174-lock-cancel-waiting: X15 cancelling a waiting acquire; cancelling an acquired one is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
a1 = lock.acquire()
a2 = lock.acquire()
a3 = lock.acquire()
a2.addErrback(eat("a2 eb"))
a3.addCallback(lambda l: print("a3 got lock"))
a2.cancel()
a1.cancel()
print("a1 " + fmt(a1.called) + " locked " + fmt(lock.locked))
lock.release()
print("a3 " + fmt(a3.called) + " locked " + fmt(lock.locked))
print("done")
