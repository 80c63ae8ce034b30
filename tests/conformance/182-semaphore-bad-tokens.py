# 182-semaphore-bad-tokens: 1.4 DeferredSemaphore(0) and (-1) raise ValueError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

for n in (0, -1):
    try:
        DeferredSemaphore(n)
        print(fmt(n) + " accepted")
    except ValueError as e:
        print(fmt(n) + " raised " + tname(e))
print("done")
