# 004-s3-sibling-errback-not-called: S3 only one slot of a pair runs
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def raiser(r):
    print("raiser got " + fmt(r))
    raise ValueError("bad")
d.addCallbacks(raiser, eat("sibling eb"))
d.addCallbacks(cb("cb2"), eat("eb2"))
d.callback(1)
print(st(d))
print("done")
