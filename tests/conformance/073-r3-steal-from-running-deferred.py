# 073-r3-steal-from-running-deferred: R3 returning a Deferred that is mid-callback steals its current input
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
b = Deferred()
def a_cb(r):
    print("a_cb got " + fmt(r))
    b.callback("B")
    print("a_cb sees a.result " + fmt(a.result))
    return "a_cb-ret"
a.addCallback(a_cb).addCallback(cb("a next"))
b.addCallback(lambda r: a).addCallback(cb("b next"))
a.callback("A0")
print("a " + st(a))
print("b " + st(b))
print("done")
