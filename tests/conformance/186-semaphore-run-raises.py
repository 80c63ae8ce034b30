# 186-semaphore-run-raises: semaphore.run with a raising f returns the token and fails
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(2)
def bad():
    print("bad tokens " + fmt(sem.tokens))
    raise ValueError("sem run")
sem.run(bad).addErrback(eat("run eb"))
print("tokens " + fmt(sem.tokens))
print("done")
