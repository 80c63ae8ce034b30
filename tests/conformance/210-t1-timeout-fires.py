# 210-t1-timeout-fires: T1 addTimeout returns self; TimeoutError with args {10, "Deferred"} exactly at 10
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred()
r = d.addTimeout(10, clock)
print("returns self " + fmt(r is d) + " pending " + fmt(len(clock.getDelayedCalls())) + " at " + fmt(clock.getDelayedCalls()[0].getTime()))
def eb(f):
    print("eb " + tname(f) + " args " + fmt(f.value.args))
d.addErrback(eb)
clock.advance(9.5)
print("at 9.5 " + fmt(d.called))
clock.advance(0.5)
print(st(d))
print("done")
