# 029-maybedeferred-failed-deferred: maybeDeferred returns a returned failed Deferred as is
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

failed = fail(KeyError("mdf"))
d = maybeDeferred(lambda: failed)
print("same " + fmt(d is failed))
d.addErrback(eat("eb"))
print("done")
