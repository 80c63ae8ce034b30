# expect-unhandled: 1
# 112-unhandled-dropped-failure: an unhandled failure is reported once
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

d = fail(ValueError("lost"))
print(st(d))
del d
gc.collect()
print("done")
