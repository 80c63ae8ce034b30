# 019-f6-errback-exception-instance: F6 errback(exception) wraps it; args kept
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

e = ValueError("inst")
d = Deferred()
def eb(f):
    print("eb got " + fmt(f) + " args " + fmt(f.value.args) + " same " + fmt(f.value is e))
d.addErrback(eb)
d.errback(e)
print("done")
