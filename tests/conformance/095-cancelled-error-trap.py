# 095-cancelled-error-trap: CancelledError can be trapped and recovered
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def trapper(f):
    f.trap(CancelledError)
    return "recovered from " + tname(f)
d.addErrback(trapper).addCallback(cb("cb"))
d.cancel()
print(st(d))
print("done")
