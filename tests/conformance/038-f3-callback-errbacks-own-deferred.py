# 038-f3-callback-errbacks-own-deferred: F3 variant: a callback calling errback on its own Deferred
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def refire(r):
    d.errback(ValueError("inside"))
d.addCallback(refire).addErrback(eat("eb"))
d.callback("first")
print(st(d))
print("done")
