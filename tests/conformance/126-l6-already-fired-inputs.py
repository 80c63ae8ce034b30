# 126-l6-already-fired-inputs: L6 already-fired inputs report inside the constructor
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

dl = DeferredList([succeed(1), fail(ValueError("x"))], fireOnOneErrback=True, consumeErrors=True)
print("constructed " + fmt(dl.called))
def fe(f):
    print("dl eb " + tname(f) + " index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure))
dl.addErrback(fe)
dl2 = DeferredList([succeed(1), succeed(2)])
print("dl2 " + st(dl2))
print("done")
