# 128-l8-cancel-canceller-calls-back: L8 DL cancel: one canceller calls back, the other input gets CancelledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred(lambda d: d.callback("Callback Result"))
b = Deferred()
dl = DeferredList([a, b], consumeErrors=True)
dl.addCallback(cb("dl"))
dl.cancel()
print("dl " + fmt(dl.called))
print("done")
