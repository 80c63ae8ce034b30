# 032-f1-errback-then-callback: F1 callback after errback raises
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.errback(ValueError("first"))
attempt("callback", lambda: d.callback(2))
d.addErrback(eat("eb"))
print(st(d))
print("done")
