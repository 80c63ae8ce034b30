# 152-race-failure-then-success: 2.10.3 race: a failure followed by a success gives {2, "ok"}
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
a, b = Deferred(), Deferred()
r = race([a, b])
r.addCallback(lambda v: print("race got " + fmt((v[0] + 1, v[1]))))
a.errback(KeyError("nope"))
b.callback("ok")
print("a " + st(a))
print("done")
