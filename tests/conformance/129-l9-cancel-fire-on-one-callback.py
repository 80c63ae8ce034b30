# 129-l9-cancel-fire-on-one-callback: L9 cancel with fireOnOneCallback: DL fires with the canceller's value at index 1
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred(lambda d: d.callback("Callback Result"))
b = Deferred()
dl = DeferredList([a, b], fireOnOneCallback=True, consumeErrors=True)
def show(r):
    print("dl got " + fmt((r[0], r[1] + 1)))
dl.addCallback(show)
dl.cancel()
print("b " + st(b))
print("done")
