# 053-c4-steal-failure-no-unhandled: C4 returning a failed Deferred moves the failure; inner is not reported
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = fail(ValueError("inner bad"))
outer = Deferred()
outer.addCallback(lambda r: inner).addCallback(cb("skipped")).addErrback(eat("outer eb"))
outer.callback(None)
print("outer " + st(outer))
print("inner " + st(inner))
del inner, outer
gc.collect()
print("done")
