"""pyfmt - shared printing helpers for the Python twins of tests/conformance.

Every NNN-slug.py starts with:
    import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from pyfmt import *

fmt(v) renders a value exactly the way the Lua prelude's fmt (gen_prelude.py) renders the
corresponding Lua value, so the two twins print identical logs with no translation:
None -> nil, booleans -> true/false, ints as ints, floats Lua-style ("%.14g", plus ".0" when
integral), strings in double quotes, lists/tuples as {a, b}, Failure -> Failure(T: msg),
exception -> "T: msg" ("T" when the message is empty), exception class -> its name, any
Deferred -> <Deferred>. Module prefixes are dropped; a single-argument exception's message is
str(args[0]) (so KeyError('k') prints "KeyError: k", as Lua's tostring(KeyError("k")) does).

Unhandled errors: an observer prints "UNHANDLED: Failure(...)" for each "Unhandled error in
Deferred" report (Lua cannot print these: the runner strips them from the golden and checks
their count against the Lua twin's "-- expect-unhandled: N" marker instead). Other logged
failures print "LOGGED: ..." and are stripped the same way.
"""
import gc
import sys

from twisted.internet.defer import (  # noqa: F401
    AlreadyCalledError, CancelledError, Deferred, DeferredList, DeferredLock,
    DeferredQueue, DeferredSemaphore, FirstError, QueueOverflow, QueueUnderflow,
    TimeoutError, fail, gatherResults, inlineCallbacks, maybeDeferred, returnValue,
    succeed)
from twisted.internet.error import AlreadyCalled, AlreadyCancelled  # noqa: F401
from twisted.internet.task import Clock, LoopingCall, deferLater  # noqa: F401
from twisted.logger import globalLogBeginner
from twisted.python.failure import Failure  # noqa: F401

# What `from pyfmt import *` gives a twin: the Twisted names it uses plus our helpers.
__all__ = [
    "gc", "AlreadyCalledError", "CancelledError", "Deferred", "DeferredList", "DeferredLock",
    "DeferredQueue", "DeferredSemaphore", "FirstError", "QueueOverflow", "QueueUnderflow",
    "TimeoutError", "fail", "gatherResults", "inlineCallbacks", "maybeDeferred", "returnValue",
    "succeed", "AlreadyCalled", "AlreadyCancelled", "Clock", "LoopingCall", "deferLater",
    "Failure", "fmt", "tname", "st", "attempt", "cb", "eat",
]


def _msg(e):
    if len(e.args) == 0:
        return ""
    if len(e.args) == 1:
        return str(e.args[0])
    return str(e)


def _exc(e):
    m = _msg(e)
    return type(e).__name__ + (": " + m if m else "")


def fmt(v):
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        s = "%.14g" % v
        if all(c in "-0123456789" for c in s):
            s += ".0"
        return s
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, (list, tuple)):
        return "{" + ", ".join(fmt(x) for x in v) + "}"
    if isinstance(v, Failure):
        return "Failure(" + _exc(v.value) + ")"
    if isinstance(v, BaseException):
        return _exc(v)
    if isinstance(v, type) and issubclass(v, BaseException):
        return v.__name__
    if isinstance(v, Deferred):
        return "<Deferred>"
    raise TypeError("pyfmt.fmt: no Lua rendering for %r" % (v,))


def tname(x):
    """Exception class name of a Failure, an exception, or an exception class."""
    if isinstance(x, Failure):
        x = x.value
    if isinstance(x, type):
        return x.__name__
    return type(x).__name__


def st(d):
    """called / paused / result of a Deferred (result nil before firing)."""
    return "called=%s paused=%s result=%s" % (
        fmt(bool(d.called)), fmt(d.paused), fmt(getattr(d, "result", None)))


def attempt(label, f, *a):
    """Call f(*a); print whether it returned or what it raised."""
    try:
        r = f(*a)
    except Exception as e:
        print(label + " raised " + fmt(e))
        return None
    print(label + " ok")
    return r


def cb(tag):
    """A callback/errback that prints what it receives and passes it on."""
    def f(r, *a):
        print(tag + " got " + fmt(r) + "".join(" " + fmt(x) for x in a))
        return r
    return f


def eat(tag):
    """Like cb(tag) but returns nil (consumes a failure)."""
    def f(r, *a):
        print(tag + " got " + fmt(r) + "".join(" " + fmt(x) for x in a))
        return None
    return f


def _observer(event):
    f = event.get("log_failure")
    if f is None:
        return
    if event.get("log_namespace") == "twisted.internet.defer" and event.get("log_format") == "":
        print("UNHANDLED: " + fmt(f))
    else:
        print("LOGGED: " + fmt(f))
    sys.stdout.flush()


# Replaces Twisted's temporary stderr observer, so nothing reaches stderr.
globalLogBeginner.beginLoggingTo([_observer], discardBuffer=True, redirectStandardIO=False)
