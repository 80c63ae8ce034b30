# 237-icb-args-and-nesting: 2.14 arguments pass through; an inlineCallbacks function can yield another's Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

gate = Deferred()
@inlineCallbacks
def child(a, b):
    v = yield gate
    return a + b + v
@inlineCallbacks
def parent(x):
    r = yield child(x, 10)
    print("child gave " + fmt(r))
    return [x, r]
d = parent(1)
print("parent " + st(d))
gate.callback(100)
print("parent " + st(d))
print("done")
