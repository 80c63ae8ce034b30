# 277-icb-gather-failure-at-yield: inlineCallbacks yielding a failing gatherResults sees FirstError at the yield
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
@inlineCallbacks
def f():
    try:
        yield gatherResults([a, b], consumeErrors=True)
    except FirstError as e:
        print("caught " + tname(e) + " index " + fmt(e.index + 1) + " sub " + fmt(e.subFailure))
    return "ok"
d = f()
b.errback(ValueError("b bad"))
print("d " + st(d))
print("done")
