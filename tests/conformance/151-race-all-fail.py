# 151-race-all-fail: 2.10.3 race: all inputs fail -> FailureGroup sorted by index
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
a, b = Deferred(), Deferred()
r = race([a, b])
def eb(f):
    print("race eb " + tname(f) + " failures " + fmt(f.value.failures))
r.addCallbacks(cb("race cb"), eb)
b.errback(ValueError("second"))
print("after b " + fmt(r.called))
a.errback(ValueError("first"))
print("a " + st(a))
print("b " + st(b))
print("done")
