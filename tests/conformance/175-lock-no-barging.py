# 175-lock-no-barging: 2.11.2 an acquire right after a release with waiters queues behind them
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
order = []
lock.acquire()
lock.acquire().addCallback(lambda l: print("waiter 1"))
lock.release()
lock.acquire().addCallback(lambda l: print("late acquirer"))
print("locked " + fmt(lock.locked))
lock.release()
lock.release()
print("locked " + fmt(lock.locked))
print("done")
