# 170-lock-fifo-handoff: 2.11.2 acquire fires with the lock; release hands it to the next waiter synchronously
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
def got(tag):
    def f(r):
        print(tag + " got lock " + fmt(r is lock) + " locked " + fmt(lock.locked))
        return r
    return f
lock.acquire().addCallback(got("first"))
d2 = lock.acquire().addCallback(got("second"))
d3 = lock.acquire().addCallback(got("third"))
print("locked " + fmt(lock.locked) + " d2 " + fmt(d2.called))
lock.release()
print("after release 1: d3 " + fmt(d3.called))
lock.release()
lock.release()
print("locked " + fmt(lock.locked))
print("done")
