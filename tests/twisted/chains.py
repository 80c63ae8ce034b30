"""chains.py - a small real Twisted program for tests/suites/twisted_trace.sh.

Callbacks and errbacks, a returned Deferred (waiting and hand-off), a
returned Deferred that already has its result (stolen), a DeferredList,
cancellation, chainDeferred, pause / unpause and an unhandled error.
"""
from twisted.internet.defer import CancelledError, Deferred, DeferredList


def double(x):
    return x * 2


def boom(x):
    raise ValueError("bad")


def recover(f):
    return "fixed"


def show(result):
    print("list:", result[0][1], result[1][1].value)
    return result


# Callbacks and errbacks: a raise crosses to the errback track, recover comes back.
first = Deferred()
first.addCallback(double)
first.addCallback(boom)
first.addErrback(recover)
first.callback(5)

# A callback returns an unfired Deferred: outer waits on inner.
inner = Deferred()
outer = Deferred()
outer.addCallback(lambda _: inner)
outer.addCallback(double)
outer.callback(0)
inner.callback("v")

# A callback returns a Deferred that already has its result: it is taken.
ready = Deferred()
ready.callback(7)
taker = Deferred()
taker.addCallback(lambda _: ready)
taker.callback(None)

# A DeferredList over two inputs, one failing.
a = Deferred()
b = Deferred()
both = DeferredList([a, b], consumeErrors=True)
both.addCallback(show)
a.callback("A")
b.errback(KeyError("k"))


# Cancellation with a canceller that does not fire: CancelledError.
def stop(d):
    print("stopping")


def cancelled(f):
    f.trap(CancelledError)
    return "cancelled"


slow = Deferred(stop)
slow.addCallback(double)  # passed over: the result is on the errback track
slow.addErrback(cancelled)
slow.cancel()

# chainDeferred, and pause / unpause.
source = Deferred()
target = Deferred()
source.chainDeferred(target)
source.callback("x")
held = Deferred()
held.pause()
held.addCallback(double)
held.callback(21)
held.unpause()

# Nobody handles this one: Twisted reports it when it is collected.
lost = Deferred()
lost.errback(RuntimeError("nobody listens"))
del lost
print("done")
