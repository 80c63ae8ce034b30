# 052-c3-steal-fired-result: C3 returning a fired Deferred steals its result synchronously
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = succeed("x")
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("outer cb"))
outer.callback(None)
print("outer " + st(outer))
print("inner " + st(inner))
inner.addCallback(cb("inner late"))
print("done")
