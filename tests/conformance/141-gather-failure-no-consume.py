# 141-gather-failure-no-consume: 2.10.2 gatherResults failure: FirstError index 2; the input keeps its failure
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a, b = Deferred(), Deferred()
g = gatherResults([a, b])
def fe(f):
    print("g eb " + tname(f) + " index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure))
g.addCallbacks(cb("g cb"), fe)
b.errback(ValueError("bad"))
print("b " + st(b))
a.callback("late")
print("g " + st(g))
b.addErrback(eat("b late eb"))
print("done")
