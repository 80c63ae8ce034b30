# 269-maybedeferred-string-error: maybeDeferred with a plain error string gives an Exception failure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

def bad():
    raise Exception("plain text")
d = maybeDeferred(bad)
d.addErrback(eat("eb"))
print("done")
