# 061-c11-waiting-repr-cleared: C11 tostring shows "waiting on" only while waiting
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

outer = Deferred()
inner = Deferred()
outer.addCallback(lambda r: inner)
print("before " + fmt("waiting on" in repr(outer)))
outer.callback(None)
print("waiting " + fmt("waiting on" in repr(outer)))
inner.callback(3)
print("after " + fmt("waiting on" in repr(outer)) + " current result " + fmt("current result" in repr(outer)))
print("done")
