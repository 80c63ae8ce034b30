# 074-r-callback-fires-other-deferred: a callback that fires another Deferred runs that chain nested
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = Deferred()
d2 = Deferred()
d2.addCallback(cb("d2 cb"))
def fire(r):
    print("fire start")
    d2.callback(r + 1)
    print("fire end")
    return r
d1.addCallback(fire).addCallback(cb("d1 next"))
d1.callback(1)
print("done")
