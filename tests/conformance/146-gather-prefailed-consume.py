# 146-gather-prefailed-consume: gatherResults with an already-failed input fires inside the call
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

g = gatherResults([succeed(1), fail(ValueError("pre")), succeed(3)], consumeErrors=True)
print("g " + fmt(g.called))
g.addErrback(lambda f: print("g eb index " + fmt(f.value.index + 1) + " sub " + fmt(f.value.subFailure)))
print("done")
