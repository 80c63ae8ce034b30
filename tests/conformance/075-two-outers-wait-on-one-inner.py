# 075-two-outers-wait-on-one-inner: two outers waiting on the same inner: the second gets nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
o1, o2 = Deferred(), Deferred()
o1.addCallback(lambda r: inner).addCallback(cb("o1"))
o2.addCallback(lambda r: inner).addCallback(cb("o2"))
o1.callback(None)
o2.callback(None)
inner.callback("only once")
print("inner " + st(inner))
print("done")
