# 042-p5-unpause-before-callback: P5 pause/unpause on an unfired Deferred is a no-op
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.pause()
d.addCallback(cb("cb"))
d.unpause()
print(st(d))
d.callback("later")
print(st(d))
print("done")
