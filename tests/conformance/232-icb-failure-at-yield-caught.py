# 232-icb-failure-at-yield-caught: 2.14 a failed Deferred raises at the yield; it can be caught
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
@inlineCallbacks
def f():
    try:
        yield inner
        print("not reached")
    except ValueError as e:
        print("caught " + tname(e))
    return "handled"
d = f()
inner.errback(ValueError("at yield"))
print("outer " + st(d))
print("inner " + st(inner))
print("done")
