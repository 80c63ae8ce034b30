# expect-unhandled: 1
# 243-icb-unhandled-failure: an inlineCallbacks Deferred that fails with no errback is reported once
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

@inlineCallbacks
def f():
    yield succeed(None)
    raise RuntimeError("icb lost")
d = f()
print(st(d))
del d
gc.collect()
print("done")
