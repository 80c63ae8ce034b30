# 258-nested-deferredlists: a DeferredList of DeferredLists and gatherResults
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b, c = Deferred(), Deferred(), Deferred()
inner1 = DeferredList([a, b])
inner2 = gatherResults([c])
outer = DeferredList([inner1, inner2])
outer.addCallback(cb("outer"))
c.callback("C")
b.callback("B")
a.callback("A")
print("done")
