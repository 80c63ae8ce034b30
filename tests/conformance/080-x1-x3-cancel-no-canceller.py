# 080-x1-x3-cancel-no-canceller: X1-X3 cancel without canceller: CancelledError, one late fire swallowed, the next raises
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addCallback(cb("cb")).addErrback(eat("eb"))
d.cancel()
print("X1 " + st(d))
attempt("X2 callback", lambda: d.callback("late"))
print("X2 " + st(d))
attempt("X3 callback", lambda: d.callback("later"))
attempt("X3 errback", lambda: d.errback(ValueError("x")))
print("X3 " + st(d))
print("done")
