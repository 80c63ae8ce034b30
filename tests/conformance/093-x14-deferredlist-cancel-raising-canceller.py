# 093-x14-deferredlist-cancel-raising-canceller: X14 DL cancel: a raising canceller is logged, the others are still cancelled
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def bad(x):
    raise ZeroDivisionError("canceller bug")
def good(x):
    x.callback("cb-in-canceller")
a = Deferred(bad)
b = Deferred(good)
dl = DeferredList([a, b], consumeErrors=True)
dl.addCallback(cb("dl"))
dl.cancel()
print("a " + st(a))
print("b " + st(b))
a.errback(CancelledError())
print("dl " + st(dl))
print("done")
