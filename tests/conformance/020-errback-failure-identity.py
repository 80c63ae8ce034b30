# 020-errback-failure-identity: errback(aFailure) delivers that same Failure object
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

f0 = Failure(ValueError("same"))
d = Deferred()
def eb(f):
    print("eb got " + fmt(f) + " identical " + fmt(f is f0))
    return f
d.addErrback(eb)
d.errback(f0)
print("result identical " + fmt(d.result is f0))
d.addErrback(eat("final"))
print("done")
