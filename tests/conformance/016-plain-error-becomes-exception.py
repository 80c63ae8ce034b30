# 016-plain-error-becomes-exception: error("text") in Lua / raise Exception("text") in Python
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
def boom(r):
    raise Exception("boom text")
d.addCallback(boom).addErrback(eat("eb"))
d.callback(0)
print("done")
