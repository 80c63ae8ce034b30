# 047-cancel-paused-unfired: cancelling a paused unfired Deferred fires it, but callbacks wait for unpause
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.pause()
d.addErrback(eat("eb"))
d.cancel()
print(st(d))
d.unpause()
print(st(d))
print("done")
