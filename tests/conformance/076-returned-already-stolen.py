# 076-returned-already-stolen: returning a Deferred whose result was already stolen gives nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = succeed("x")
a, b = Deferred(), Deferred()
a.addCallback(lambda r: inner).addCallback(cb("a"))
b.addCallback(lambda r: inner).addCallback(cb("b"))
a.callback(None)
b.callback(None)
print("done")
