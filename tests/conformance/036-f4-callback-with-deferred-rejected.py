# 036-f4-callback-with-deferred-rejected: F4 callback(aDeferred) is rejected with AssertionError; d stays unfired
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred()
d.addCallback(cb("cb"))
other = Deferred()
try:
    d.callback(other)
    print("accepted")
except AssertionError as e:
    print("raised " + tname(e))
print(st(d))
d.callback("real")
print(st(d))
print("done")
