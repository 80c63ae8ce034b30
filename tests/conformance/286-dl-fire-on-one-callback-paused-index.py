# 286-dl-fire-on-one-callback-paused-index: a paused DeferredList's fireOnOneCallback result is (value, index) at once, before any callback runs
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# Found by random_scenarios.py (seed 1, index 66). Python prints index + 1 (deviation 1).
a, b = Deferred(), Deferred()
dl = DeferredList([a, b], fireOnOneCallback=True)
dl.pause()
b.callback("B")
print("paused dl called=" + fmt(dl.called) + " paused=" + fmt(dl.paused)
      + " value=" + fmt(dl.result[0]) + " index=" + fmt(dl.result[1] + 1))


def show(r):
    print("dl cb got value=" + fmt(r[0]) + " index=" + fmt(r[1] + 1))
    return r


dl.addCallback(show)
print("still paused index=" + fmt(dl.result[1] + 1))
dl.unpause()
print("unpaused index=" + fmt(dl.result[1] + 1))

# P6: a negative pause count stalls the list the same way, for good
c = Deferred()
dl2 = DeferredList([c], fireOnOneCallback=True)
dl2.unpause()
c.callback("C")
print("dl2 called=" + fmt(dl2.called) + " paused=" + fmt(dl2.paused)
      + " value=" + fmt(dl2.result[0]) + " index=" + fmt(dl2.result[1] + 1))
print("done")
