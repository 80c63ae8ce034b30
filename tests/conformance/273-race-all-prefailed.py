# 273-race-all-prefailed: race with every input already failed errbacks inside race()
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
r = race([fail(ValueError("x")), fail(KeyError("y"))])
print("r " + fmt(r.called))
r.addErrback(lambda f: print("race eb " + tname(f) + " failures " + fmt(f.value.failures)))
print("done")
