# 156-race-empty-never-fires: 2.10.3 race({}) never fires
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
r = race([])
print("r " + st(r))
print("done")
