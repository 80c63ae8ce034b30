# 218-t11-late-result-after-timeout-swallowed: T11 no canceller, timed out: one late producer callback is swallowed
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred().addTimeout(1, clock)
d.addErrback(lambda f: print("eb " + tname(f)))
clock.advance(1)
attempt("late callback", lambda: d.callback("late"))
attempt("second late callback", lambda: d.callback("later"))
print("done")
