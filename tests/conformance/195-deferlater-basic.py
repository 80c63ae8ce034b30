# 195-deferlater-basic: 2.13 deferLater fires with the callable's result at the right time
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

clock = Clock()
def f(a, b):
    print("f called at " + fmt(clock.seconds()))
    return a + b
d = deferLater(clock, 3, f, 1, 2)
d.addCallback(cb("d"))
clock.advance(2)
print("at 2 " + fmt(d.called))
clock.advance(1)
print(st(d))
d2 = deferLater(clock, 1)
d2.addCallback(cb("no callable"))
clock.advance(1)
print("done")
