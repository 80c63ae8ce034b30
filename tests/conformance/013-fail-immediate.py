# 013-fail-immediate: fail() delivers to errbacks added later, synchronously
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = fail(ValueError("now"))
print(st(d))
print("adding")
d.addCallback(cb("cb"))
d.addErrback(eat("eb"))
print("added")
print(st(d))
print("done")
