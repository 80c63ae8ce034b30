# 155-race-cancel-gives-failure-group: 2.10.3 cancelling the race cancels every input and errbacks FailureGroup
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
a = Deferred(lambda d: print("cancel a"))
b = Deferred(lambda d: print("cancel b"))
r = race([a, b])
r.addErrback(lambda f: print("race eb " + tname(f) + " failures " + fmt(f.value.failures)))
r.cancel()
print("r " + st(r))
print("done")
