# 157-race-already-fired-input: 2.10.3 race with an already-fired input wins inside race()
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
b = Deferred(lambda d: print("cancel b"))
r = race([succeed("now"), b])
print("r " + fmt(r.called))
r.addCallback(lambda v: print("race got " + fmt((v[0] + 1, v[1]))))
print("done")
