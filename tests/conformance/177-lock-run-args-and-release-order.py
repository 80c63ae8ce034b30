# 177-lock-run-args-and-release-order: lock.run passes args; waiting acquirers queue in order
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lock = DeferredLock()
gate = Deferred()
def work(a, b):
    print("work " + fmt(a) + " " + fmt(b))
    return gate
lock.run(work, 1, "two").addCallback(cb("run"))
for i in range(3):
    lock.acquire().addCallback(lambda l, i=i: print("acquirer " + fmt(i + 1)))
gate.callback("g")
lock.release()
lock.release()
lock.release()
print("locked " + fmt(lock.locked))
print("done")
