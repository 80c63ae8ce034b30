# 058-c8-errback-returns-deferred: C8 an errback that returns a Deferred chains too
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
d = Deferred()
def eb(f):
    print("eb got " + fmt(f))
    return inner
d.addErrback(eb).addCallback(cb("cb after"))
d.errback(ValueError("e"))
print("d " + st(d))
inner.callback("rescued")
print("d " + st(d))
print("done")
