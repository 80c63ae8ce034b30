# 096-cancel-canceller-suppression-then-errback: X2 variant: an errback after a no-canceller cancel is swallowed once
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.cancel()
attempt("errback", lambda: d.errback(KeyError("late")))
attempt("errback again", lambda: d.errback(KeyError("later")))
d.addErrback(eat("eb"))
print(st(d))
print("done")
