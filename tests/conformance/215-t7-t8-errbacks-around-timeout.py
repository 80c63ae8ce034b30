# 215-t7-t8-errbacks-around-timeout: T7/T8 an errback added before addTimeout sees CancelledError; after, TimeoutError
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d = Deferred()
d.addErrback(cb("before"))
d.addTimeout(2, clock)
d.addErrback(lambda f: print("after got " + tname(f) + " " + fmt(f.value.args)))
clock.advance(2)
d2 = Deferred()
def suppress(f):
    print("before2 got " + fmt(f))
    return "suppressed"
d2.addErrback(suppress)
d2.addTimeout(2, clock)
d2.addBoth(cb("after2"))
clock.advance(2)
print("done")
