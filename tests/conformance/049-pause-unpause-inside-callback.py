# 049-pause-unpause-inside-callback: pause()+unpause() inside a running callback does not re-enter
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def cb1(r):
    print("cb1 start")
    d.pause()
    d.unpause()
    print("cb1 end " + st(d))
    return "one"
d.addCallback(cb1).addCallback(cb("cb2"))
d.callback(0)
print(st(d))
print("done")
