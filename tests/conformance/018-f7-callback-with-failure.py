# 018-f7-callback-with-failure: F7 callback(aFailure) behaves like errback
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addCallback(cb("cb")).addErrback(eat("eb"))
d.callback(Failure(KeyError("kf")))
print(st(d))
print("done")
