# 023-value-identity: a list/table passes through the chain as the same object
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

lst = [1, 2]
d = Deferred()
def check(r):
    print("same object " + fmt(r is lst) + " " + fmt(r))
    r.append(3)
    return r
d.addCallback(check).addCallback(cb("after"))
d.callback(lst)
print("lst now " + fmt(lst))
print("done")
