# 121-l2-consume-errors: L2 consumeErrors: same list, input result becomes nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
dl = DeferredList([a, b], consumeErrors=True)
dl.addCallback(cb("dl"))
a.errback(ValueError("A"))
b.callback("B")
print("a " + st(a))
a.addCallbacks(cb("a late cb"), eat("a late eb"))
print("done")
