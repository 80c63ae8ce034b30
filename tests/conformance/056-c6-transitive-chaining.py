# 056-c6-transitive-chaining: C6 third waits on second waits on first
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

first = Deferred()
second = Deferred()
third = Deferred()
second.addCallback(lambda r: first)
third.addCallback(lambda r: second).addCallback(cb("third cb"))
third.callback(None)
second.callback(None)
print("third " + st(third))
first.callback("R")
print("first " + st(first))
print("second " + st(second))
print("third " + st(third))
print("done")
