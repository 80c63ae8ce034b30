# 015-custom-error-type-hierarchy: a subclass of ValueError is trapped by ValueError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

class MyErr(ValueError):
    pass
d = Deferred()
def t1(f):
    print("t1 got " + fmt(f))
    print("isinstance ValueError " + fmt(isinstance(f.value, ValueError)))
    print("isinstance KeyError " + fmt(isinstance(f.value, KeyError)))
    return f.trap(ValueError)
d.addErrback(t1).addCallback(cb("after trap"))
d.errback(MyErr("mine"))
print("done")
