# 268-semaphore-handoff-identity: a released semaphore token goes to the first waiter, which gets the semaphore
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(1)
sem.acquire()
w = sem.acquire()
w.addCallback(lambda s: print("waiter got sem " + fmt(s is sem) + " tokens " + fmt(sem.tokens)))
sem.release()
print("tokens " + fmt(sem.tokens))
print("done")
