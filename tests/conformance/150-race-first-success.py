# 150-race-first-success: 2.10.3 race: first success wins, others cancelled, all inputs consumed
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
ds = [Deferred(lambda d, i=i: print("cancel " + fmt(i + 1))) for i in range(3)]
r = race(ds)
r.addCallback(lambda v: print("race got " + fmt((v[0] + 1, v[1]))))
ds[1].callback("one")
for i, d in enumerate(ds):
    print("input " + fmt(i + 1) + " " + st(d))
print("done")
