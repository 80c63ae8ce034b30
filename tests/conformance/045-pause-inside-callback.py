# 045-pause-inside-callback: a callback pauses its own Deferred; the rest waits for unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def pauser(r):
    print("pauser got " + fmt(r))
    d.pause()
    return r + "!"
d.addCallback(pauser).addCallback(cb("after"))
d.callback("v")
print("after callback " + st(d))
d.unpause()
print("after unpause " + st(d))
print("done")
