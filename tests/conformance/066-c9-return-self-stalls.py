# 066-c9-return-self-stalls: C9 a callback returning its own Deferred stalls it (22.4 warns)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

import warnings
warnings.simplefilter("ignore")
d = Deferred()
d.addCallback(lambda r: d).addCallback(cb("never"))
d.callback("v")
print(st(d))
print("waiting " + fmt("waiting on" in repr(d)))
print("done")
