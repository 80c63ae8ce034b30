# 009-s7-trap-returns-matching-class: S7 trap(KeyError, ValueError) returns the matching class
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = fail(ValueError("v"))
def trapper(f):
    return f.trap(KeyError, ValueError)
d.addErrback(trapper).addCallback(cb("cb"))
print("tname " + tname(d.result))
print("done")
