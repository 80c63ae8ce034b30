# 184-semaphore-run-args: 2.11.3 run(f, ...) passes args and returns f's value
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(3)
def add(a, b):
    print("add tokens " + fmt(sem.tokens))
    return a + b
sem.run(add, 2, 5).addCallback(cb("run"))
print("tokens " + fmt(sem.tokens))
print("done")
