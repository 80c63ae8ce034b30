# 033-f1-errback-twice: F1 errback twice raises
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.errback(ValueError("first"))
attempt("errback", lambda: d.errback(KeyError("second")))
d.addErrback(eat("eb"))
print(st(d))
print("done")
