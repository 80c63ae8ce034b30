# expect-unhandled: 1
# 119-unhandled-once-two-references: a failed Deferred held twice is reported once, when the last reference goes
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

a = fail(ValueError("twice held"))
b = a
del a
gc.collect()
print("after first drop")
del b
gc.collect()
print("done")
