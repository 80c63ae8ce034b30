# 172-lock-run-order: 2.11.2 run(): the next acquirer runs before the run caller sees the value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
inner = Deferred()
def work(x):
    print("work got " + fmt(x) + " locked " + fmt(lock.locked))
    return inner
r = lock.run(work, "arg")
r.addCallback(cb("run-caller"))
lock.acquire().addCallback(lambda l: print("next acquirer got lock"))
print("locked " + fmt(lock.locked))
inner.callback("V")
print("locked " + fmt(lock.locked))
lock.release()
print("locked " + fmt(lock.locked))
print("done")
