# 122-l3-fire-on-one-callback: L3 fireOnOneCallback fires {value, index}; later results ignored by the DL
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneCallback=True)
def show(r):
    print("dl got " + fmt((r[0], r[1] + 1)))
dl.addCallback(show)
b.callback("B")
a.callback("A")
print("a " + st(a))
print("dl called " + fmt(dl.called))
print("done")
