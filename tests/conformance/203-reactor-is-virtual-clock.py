# 203-reactor-is-virtual-clock: the global reactor is a virtual Clock (Python twin uses a Clock)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

reactor = Clock()
print("start " + fmt(reactor.seconds()))
d = deferLater(reactor, 2, lambda: "later")
d.addCallback(cb("d"))
reactor.advance(2)
print("now " + fmt(reactor.seconds()))
print("done")
