# 044-p7-chaining-adds-one-pause: P7 a waiting outer has paused == 1; a user pause is separate
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
def ret(r):
    return inner
outer.addCallback(ret).addCallback(cb("outer cb"))
outer.callback("go")
print("waiting " + st(outer))
outer.pause()
print("user paused " + st(outer))
inner.callback("iv")
print("inner fired " + st(outer))
outer.unpause()
print("unpaused " + st(outer))
print("done")
