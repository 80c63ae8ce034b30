# 185-semaphore-cancel-after-acquired: cancelling an acquired semaphore Deferred is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(1)
a = sem.acquire()
a.cancel()
print("a " + fmt(a.called) + " tokens " + fmt(sem.tokens))
b = sem.acquire()
b.addErrback(eat("b eb"))
b.cancel()
print("tokens " + fmt(sem.tokens))
sem.release()
print("tokens " + fmt(sem.tokens))
print("done")
