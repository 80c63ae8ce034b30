# 278-exception-args-and-hierarchy: exception args, messages of non-string args, and the Exception root
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

e1 = ValueError(42)
e2 = KeyError()
print(fmt(e1) + " args " + fmt(e1.args))
print(fmt(e2) + " args " + fmt(e2.args))
def eb(f):
    v = f.value
    print("cancelled is Exception " + fmt(isinstance(v, Exception)) + " is ValueError " + fmt(isinstance(v, ValueError)))
    return f.trap(Exception)
d = Deferred()
d.addErrback(eb).addCallback(cb("trapped as"))
d.cancel()
try:
    succeed(1).callback(2)
except Exception as e:
    print("AlreadyCalledError is Exception " + fmt(isinstance(e, Exception)))
print("done")
