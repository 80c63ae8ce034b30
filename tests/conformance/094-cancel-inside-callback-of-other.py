# 094-cancel-inside-callback-of-other: cancelling an unfired Deferred from another's callback
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

target = Deferred()
target.addErrback(eat("target eb"))
d = Deferred()
def killer(r):
    print("killer got " + fmt(r))
    target.cancel()
    return "killed"
d.addCallback(killer).addCallback(cb("after"))
d.callback("go")
print("target " + st(target))
print("done")
