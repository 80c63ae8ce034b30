# 287-race-paused-index: a paused race Deferred's result is (index, value) at once, before any callback runs
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

# race() is trunk-only: pyrace.race is our pure-Python reimplementation of section 2.10.3 on 22.4.
# Companion of 286 (found by random_scenarios.py). Python prints index + 1 (deviation 1).
from pyrace import race
ds = [Deferred(), Deferred(), Deferred()]
r = race(ds)
r.pause()
ds[2].callback("three")
print("paused race called=" + fmt(r.called) + " paused=" + fmt(r.paused)
      + " index=" + fmt(r.result[0] + 1) + " value=" + fmt(r.result[1]))


def show(v):
    print("race cb got index=" + fmt(v[0] + 1) + " value=" + fmt(v[1]))
    return v


r.addCallback(show)
r.unpause()
print("unpaused index=" + fmt(r.result[0] + 1))
print("done")
