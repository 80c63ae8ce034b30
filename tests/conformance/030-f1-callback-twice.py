# 030-f1-callback-twice: F1 second callback raises AlreadyCalledError to the caller
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addCallback(cb("cb"))
d.callback(1)
attempt("second callback", lambda: d.callback(2))
print(st(d))
print("done")
