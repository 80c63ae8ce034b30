# 132-l12-list-copied: L12 mutating the input list after construction is not tracked
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
ds = [a]
dl = DeferredList(ds)
ds.append(b)
dl.addCallback(cb("dl"))
a.callback("A")
print("dl " + fmt(dl.called))
print("done")
