# 077-errback-returns-failed-deferred: an errback returning an already-failed Deferred continues on the errback path
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def eb(f):
    print("eb got " + fmt(f))
    return fail(KeyError("replacement"))
d.addErrback(eb).addCallbacks(cb("cb2"), eat("eb2"))
d.errback(ValueError("orig"))
print(st(d))
print("done")
