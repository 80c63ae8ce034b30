# 008-s7-trap-reraises-same-exception: S7 trap without match re-raises the same exception object
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

e = ValueError("v")
d = fail(e)
def trapper(f):
    print("trapper got " + fmt(f))
    return f.trap(KeyError)
def eb2(f):
    print("eb2 got " + fmt(f) + " same-exception " + fmt(f.value is e))
d.addErrback(trapper).addErrback(eb2)
print(st(d))
print("done")
