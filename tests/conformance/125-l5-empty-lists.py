# 125-l5-empty-lists: L5 DeferredList([]) fires {}; with fireOnOneCallback it never fires; with fireOnOneErrback it fires {}
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d1 = DeferredList([])
print("plain " + st(d1))
d2 = DeferredList([], fireOnOneCallback=True)
print("fireOnOneCallback " + st(d2))
d3 = DeferredList([], fireOnOneErrback=True)
print("fireOnOneErrback " + st(d3))
print("done")
