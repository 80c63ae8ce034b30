# 035-f3-callback-fires-own-deferred: F3 AlreadyCalledError inside a callback becomes the chain failure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def refire(r):
    print("refire got " + fmt(r))
    d.callback("again")
    print("not reached")
d.addCallback(refire).addCallback(cb("cb2")).addErrback(eat("eb"))
print("firing")
d.callback("first")
print("fired")
print(st(d))
print("done")
