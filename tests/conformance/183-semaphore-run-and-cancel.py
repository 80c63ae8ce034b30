# 183-semaphore-run-and-cancel: 2.11.3 run() holds a token until f's Deferred fires; cancelling a waiting acquire
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

sem = DeferredSemaphore(1)
inner = Deferred()
r = sem.run(lambda: inner)
w1 = sem.acquire()
w2 = sem.acquire()
w1.addErrback(eat("w1 eb"))
w2.addCallback(lambda s: print("w2 got token"))
print("tokens " + fmt(sem.tokens))
w1.cancel()
r.addCallback(cb("run"))
inner.callback("done-work")
print("tokens " + fmt(sem.tokens) + " w2 " + fmt(w2.called))
sem.release()
print("tokens " + fmt(sem.tokens))
print("done")
