# 154-race-result-after-cancel-swallowed: 2.10.3 race: a loser without canceller swallows its late result
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
a, b = Deferred(), Deferred()
r = race([a, b])
r.addCallback(lambda v: print("race got " + fmt((v[0] + 1, v[1]))))
a.callback("A")
attempt("late b", lambda: b.callback("late"))
print("b " + st(b))
print("done")
