# 037-f1-chain-after-already-called: a failed second fire leaves the first result and chain untouched
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.callback("one")
attempt("again", lambda: d.callback("two"))
d.addCallback(cb("late cb"))
print(st(d))
print("done")
