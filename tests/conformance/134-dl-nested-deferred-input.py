# 134-dl-nested-deferred-input: a DL input that waits on another Deferred reports when the inner fires
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred()
a = Deferred()
a.addCallback(lambda r: inner)
a.callback(None)
dl = DeferredList([a, succeed("s")])
dl.addCallback(cb("dl"))
print("dl " + fmt(dl.called))
inner.callback("in")
print("done")
