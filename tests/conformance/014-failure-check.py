# 014-failure-check: Failure.check returns the matching class or nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = fail(ValueError("c"))
def eb(f):
    print("check KeyError " + fmt(f.check(KeyError)))
    print("check KeyError,ValueError " + fmt(f.check(KeyError, ValueError)))
    print("check Exception " + fmt(f.check(Exception)))
    print("type " + fmt(f.type))
    print("message " + fmt(f.getErrorMessage()))
d.addErrback(eb)
print("done")
