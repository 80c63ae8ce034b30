# 050-c1-return-unfired-deferred: C1 outer waits on an unfired inner
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
def ret(r):
    print("ret got " + fmt(r))
    return inner
outer.addCallback(ret)
outer.callback("go")
outer.addCallback(cb("late outer"))
print("outer " + st(outer))
print("result is inner " + fmt(outer.result is inner))
print("repr waiting " + fmt("waiting on" in repr(outer)))
print("inner " + st(inner))
inner.callback("iv")
print("outer " + st(outer))
print("done")
