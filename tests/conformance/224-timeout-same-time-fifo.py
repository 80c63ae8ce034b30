# 224-timeout-same-time-fifo: a result scheduled for the timeout's own time wins or loses by scheduling order
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
d1 = Deferred()
clock.callLater(5, d1.callback, "first")
d1.addTimeout(5, clock)
d1.addBoth(lambda r: print("d1 " + (fmt(r) if not isinstance(r, Failure) else tname(r))))
d2 = Deferred()
d2.addTimeout(5, clock)
clock.callLater(5, lambda: attempt("late d2 callback", lambda: d2.callback("second")))
d2.addBoth(lambda r: print("d2 " + (fmt(r) if not isinstance(r, Failure) else tname(r))))
clock.advance(5)
print("done")
