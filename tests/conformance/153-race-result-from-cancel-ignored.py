# 153-race-result-from-cancel-ignored: 2.10.3 race: a loser whose canceller calls back is ignored
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
from pyrace import race
a = Deferred()
b = Deferred(lambda d: d.callback("from canceller"))
r = race([a, b])
r.addCallback(lambda v: print("race got " + fmt((v[0] + 1, v[1]))))
a.callback("winner")
print("b " + st(b))
print("r called " + fmt(r.called))
print("done")
