# 097-cancel-during-own-callback: cancel() from inside the Deferred's own callback is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred(lambda x: print("canceller must not run"))
def self_cancel(r):
    print("self_cancel got " + fmt(r))
    d.cancel()
    return "still fine"
d.addCallback(self_cancel).addCallback(cb("next"))
d.callback("v")
print(st(d))
print("done")
