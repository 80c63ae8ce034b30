# 272-x6-then-late-callback-raises: X6 then a late producer callback: no suppression, AlreadyCalledError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred(lambda x: x.callback("from canceller"))
d.cancel()
attempt("late callback", lambda: d.callback("late"))
print(st(d))
print("done")
