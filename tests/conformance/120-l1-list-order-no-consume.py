# 120-l1-list-order-no-consume: L1 results in list order; fires only after all; input keeps its failure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b, c = Deferred(), Deferred(), Deferred()
dl = DeferredList([a, b, c])
dl.addCallback(cb("dl"))
c.callback("C")
print("after c " + fmt(dl.called))
a.errback(ValueError("A"))
print("after a " + fmt(dl.called))
b.callback("B")
print("a " + st(a))
print("c " + st(c))
a.addErrback(eat("a late eb"))
print("done")
