# 250-non-callable-callback-rejected: a non-callable callback is rejected at add time (22.4 asserts); the chain is untouched
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
try:
    d.addCallback(5)
    print("accepted")
except Exception:
    print("rejected true")
d.addCallback(cb("real cb"))
d.callback(1)
print(st(d))
print("done")
