# 137-dl-duplicate-input: the same Deferred twice in a DeferredList reports twice, in order
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
def plus(r):
    return r + 1
dl = DeferredList([a, a])
a.addCallback(plus)
dl.addCallback(cb("dl"))
a.callback(1)
print("a " + st(a))
print("done")
