# 065-resolved-middle-late-callbacks: a->b->c: callbacks added to the middle after everything resolved get nil
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = Deferred()
b = Deferred()
c = Deferred()
a.addCallback(lambda r: b)
b.addCallback(lambda r: c)
b.callback(None)
a.callback(None)
c.callback("cv")
a.addCallback(cb("a late"))
b.addCallback(cb("b late"))
c.addCallback(cb("c late"))
print("a " + st(a))
print("b " + st(b))
print("c " + st(c))
print("done")
