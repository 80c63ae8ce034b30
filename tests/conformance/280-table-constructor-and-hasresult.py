# 280-table-constructor-and-hasresult: Deferred{canceller=...} form; hasResult() before, while waiting, after
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = Deferred(lambda x: print("table canceller called"))
print("hasResult " + fmt(hasattr(d, "result")))
d.addErrback(eat("eb"))
d.cancel()
print("hasResult " + fmt(hasattr(d, "result")))
inner = Deferred()
outer = Deferred()
outer.addCallback(lambda r: inner)
outer.callback(None)
print("waiting hasResult " + fmt(hasattr(outer, "result")))
inner.callback(1)
print("done")
