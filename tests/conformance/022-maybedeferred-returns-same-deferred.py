# 022-maybedeferred-returns-same-deferred: maybeDeferred returns a returned Deferred as is
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
def f():
    return inner
d = maybeDeferred(f)
print("same " + fmt(d is inner))
d.addCallback(cb("cb"))
inner.callback("later")
print(st(d))
print("done")
