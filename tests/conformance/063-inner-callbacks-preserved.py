# 063-inner-callbacks-preserved: test_innerCallbacksPreserved: middle callbacks run after the innermost fires
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
innermost = Deferred()
order = []
def first_cb(r):
    print("firstCallback got " + fmt(r))
    d = Deferred()
    def second_cb(x):
        print("secondCallback got " + fmt(x))
        return x + x
    d.addCallback(second_cb)
    d.callback(r)
    return d
def start(r):
    print("start-of-cb got " + fmt(r))
    inner.addCallback(first_cb)
    return inner
outer.addCallback(start).addCallback(cb("outer end"))
outer.callback(None)
inner.callback("orange")
print("outer " + st(outer))
print("done")
