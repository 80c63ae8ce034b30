# 135-dl-cancel-noop-once-fired-even-if-waiting: quirk 9: DeferredList.cancel() after firing does not forward to a Deferred it waits on
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfmt import *  # noqa: F401,F403

inner = Deferred(lambda d: print("inner canceller must not run"))
dl = DeferredList([succeed(1)])
dl.addCallback(lambda r: inner)
print("dl " + st(dl))
dl.cancel()
print("inner " + st(inner))
plain = succeed(1)
inner2 = Deferred(lambda d: print("inner2 canceller runs"))
plain.addCallback(lambda r: inner2)
plain.addErrback(eat("plain eb"))
plain.cancel()
print("done")
