# 145-gather-nested-values: gatherResults keeps table values and nil values in place
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

g = gatherResults([succeed([1, 2]), succeed(None), succeed("z")])
def show(r):
    print("g got " + fmt(r) + " len " + fmt(len(r)))
g.addCallback(show)
print("done")
