# 288-unpause-waiting-outer-reruns-chain: unpause() of a waiting outer runs its next pair with the inner as result; addErrback's passthru re-chains too
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# Found by random_scenarios.py (seed 3, index 69). Reference 4.3: the walk only checks
# `paused`; a user unpause() bringing a waiting outer to 0 pops its next pair with
# result = the inner Deferred (callback track), and a Deferred returned again re-pauses and
# appends a second continuation to the inner.
d1, d2 = Deferred(), Deferred()


def ret_d2(r):
    print("cb1 got " + fmt(r))
    return d2


d1.addCallback(ret_d2)
d1.addCallbacks(cb("cb2"), cb("eb2"))
d1.callback("v")
print("waiting " + st(d1))
d1.unpause()
print("unpaused " + st(d1))
d1.addBoth(cb("cb3"))
print("after cb3 " + st(d1))
d2.callback("x")
print("d1 " + st(d1))
print("d2 " + st(d2))
d1.addBoth(cb("late"))
print("d1 " + st(d1))

# the same when the next pair is addErrback's: passthru returns the inner, which re-chains
e1, e2 = Deferred(), Deferred()
e1.addBoth(lambda r: e2)
e1.errback(ValueError("e"))
e1.addErrback(eat("eb"))
print("e1 waiting " + st(e1))
e1.unpause()
print("e1 unpaused " + st(e1))
e2.callback("y")
print("e1 " + st(e1))
print("e2 " + st(e2))
print("done")
