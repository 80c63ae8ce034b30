# 233-icb-uncaught-error: 2.14 an uncaught error fails the outer Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

@inlineCallbacks
def f():
    yield succeed(1)
    raise KeyError("uncaught")
d = f()
d.addErrback(eat("outer eb"))
@inlineCallbacks
def g():
    yield fail(ValueError("from yield"))
d2 = g()
d2.addErrback(eat("outer2 eb"))
print("done")
