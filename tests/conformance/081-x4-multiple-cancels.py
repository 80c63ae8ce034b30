# 081-x4-multiple-cancels: X4 cancel x3 gives one CancelledError; one errback swallowed; later cancel no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addBoth(eat("both"))
d.cancel()
d.cancel()
d.cancel()
attempt("errback", lambda: d.errback(ValueError("swallowed")))
attempt("callback", lambda: d.callback("raises"))
d.cancel()
print(st(d))
print("done")
