# 231-icb-wait-unfired: 2.14 yielding an unfired Deferred: outer waits; the inner's result becomes nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
@inlineCallbacks
def f():
    print("before yield")
    v = yield inner
    print("resumed with " + fmt(v))
    returnValue(v * 2)
d = f()
print("outer " + st(d))
inner.callback(21)
print("outer " + st(d))
print("inner " + st(inner))
print("done")
