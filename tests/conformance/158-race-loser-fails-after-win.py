# 158-race-loser-fails-after-win: race: a loser that fails after the win is consumed silently
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
a = Deferred()
b = Deferred(lambda d: print("cancel b (no fire)"))
r = race([a, b])
r.addCallback(lambda v: print("race got " + fmt((v[0] + 1, v[1]))))
a.callback("A")
print("b " + st(b))
print("done")
