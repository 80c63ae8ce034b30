# 140-gather-basic: 2.10.2 gatherResults: values in input order; [] fires {}
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
g = gatherResults([a, b])
g.addCallback(cb("g"))
b.callback(2)
a.callback(1)
g2 = gatherResults([])
print("empty " + st(g2))
g3 = gatherResults([succeed(1), succeed(2)])
print("fired " + st(g3))
print("done")
