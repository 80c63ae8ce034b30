# 139-dl-custom-error-type: DeferredList with a custom error type subclassing KeyError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

class Oops(KeyError):
    pass
a = fail(Oops("custom"))
dl = DeferredList([a], consumeErrors=True)
def show(r):
    ok, f = r[0]
    print("ok " + fmt(ok) + " " + fmt(f) + " isKeyError " + fmt(f.check(KeyError) is not None))
dl.addCallback(show)
print("done")
