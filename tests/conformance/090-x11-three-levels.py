# 090-x11-three-levels: X11 a->b->c: a.cancel() reaches c's canceller
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

c = Deferred(lambda x: print("c canceller"))
b = Deferred(lambda x: print("b canceller"))
a = Deferred(lambda x: print("a canceller"))
b.addCallback(lambda r: c)
a.addCallback(lambda r: b).addErrback(eat("a eb"))
b.callback(None)
a.callback(None)
a.cancel()
print("a " + st(a))
print("b " + st(b))
print("c " + st(c))
print("done")
