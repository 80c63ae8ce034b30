# 039-succeed-with-failure: succeed(aFailure) is a failed Deferred (callback(Failure) == errback)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

f0 = Failure(ValueError("via succeed"))
d = succeed(f0)
print(st(d))
d.addErrback(lambda f: print("eb same " + fmt(f is f0)))
print("done")
