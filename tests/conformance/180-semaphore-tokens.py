# 180-semaphore-tokens: 2.11.3 N=2 and 4 acquires: [T,T,F,F]; one release: [T,T,T,F]
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(2)
ds = [sem.acquire() for i in range(4)]
print("fired " + fmt([d.called for d in ds]) + " tokens " + fmt(sem.tokens) + " limit " + fmt(sem.limit))
sem.release()
print("fired " + fmt([d.called for d in ds]) + " tokens " + fmt(sem.tokens))
print("acquire result is sem " + fmt(ds[0].result is sem))
print("done")
