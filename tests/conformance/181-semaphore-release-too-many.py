# 181-semaphore-release-too-many: 2.11.3 releasing more than acquired raises AssertionError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(1)
sem.acquire()
sem.release()
try:
    sem.release()
    print("no error")
except AssertionError as e:
    print("raised " + tname(e))
print("tokens " + fmt(sem.tokens))
print("done")
