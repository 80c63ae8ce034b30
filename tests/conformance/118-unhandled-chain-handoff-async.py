# expect-unhandled: 1
# 118-unhandled-chain-handoff-async: an inner failure handed to a waiting outer is reported once, for the outer only
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
outer = Deferred()
outer.addCallback(lambda r: inner)
outer.callback(None)
inner.errback(ValueError("handed off"))
print("inner " + st(inner))
print("outer " + st(outer))
del inner, outer
gc.collect()
print("done")
