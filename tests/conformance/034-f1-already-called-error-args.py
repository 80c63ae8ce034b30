# 034-f1-already-called-error-args: F1 AlreadyCalledError has empty args (debug off)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = succeed(1)
try:
    d.callback(2)
except AlreadyCalledError as e:
    print("caught " + tname(e) + " args " + fmt(e.args))
print("done")
