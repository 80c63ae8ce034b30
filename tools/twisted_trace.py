#!/usr/bin/python3
"""twisted_trace.py - record a real Twisted program's Deferreds as a deferlab trace.

    /usr/bin/python3 tools/twisted_trace.py -o out.jsonl program.py [args...]
    deferlab replay out.jsonl                # step through it in the workbench
    deferlab export out.jsonl --format text  # or share it

The program runs unchanged (as __main__, with its own argv) on the real
twisted.internet.defer (Twisted 22.4, Debian's python3-twisted). Before it
starts, Deferred is instrumented:

  * __init__            -> created (+ label from `name = Deferred(...)` in your code)
  * addCallbacks        -> added; each function is wrapped so that running it
                           writes call / return (raised or not), and Twisted's
                           passthru / _failthru write pass
  * callback / errback  -> fired, or already-called / suppressed (a late fire
                           after cancel)
  * the `paused` counter-> paused / unpaused (pause(), unpause() and Twisted's
                           own pause while waiting)
  * a callback returning an unfired Deferred -> added (the continuation) +
                           waiting; the result coming back -> handoff; a
                           returned Deferred that already had a result -> stolen
  * chainDeferred       -> chained;  cancel -> cancel, canceller, canceller-raised
  * "Unhandled error in Deferred" log events -> unhandled (on the Deferred
                           whose DebugInfo reported it)
  * print()             -> output

Values are rendered as deferlab renders them: nil, true, 5, 2.0, "text",
{1, 2}, Failure(ValueError: bad), <Deferred name>. Every event carries the
file:line of your code that caused it (the innermost frame outside Twisted,
the standard library and this tool). The format is docs/trace-format.md.

Options:
  -o, --output FILE   where to write the trace (required)
  --time real|none    t = seconds since the start (default), or always 0 so
                      two runs give the same file (what the tests use)
"""
import argparse
import functools
import gc
import io
import json
import linecache
import os
import re
import runpy
import sys
import sysconfig
import threading
import time

try:
    import twisted
    from twisted.internet import defer
    from twisted.logger import globalLogPublisher
    from twisted.python.failure import Failure
except ImportError as e:  # pragma: no cover - the test suite skips instead
    sys.stderr.write("twisted_trace: cannot import twisted (%s); install python3-twisted\n" % e)
    sys.exit(2)

Deferred = defer.Deferred
DebugInfo = defer.DebugInfo
REPR_MAX = 60  # like DL_REPR_MAX: longer strings are cut with "..."
LIST_MAX = 16  # list reprs stop after 16 items
_NO = object()

# ---------------------------------------------------------------------------
# Where an event comes from: the innermost frame of the user's code
# ---------------------------------------------------------------------------

_SKIP_DIRS = tuple(
    os.path.join(os.path.realpath(p), "")
    for p in {
        os.path.dirname(twisted.__file__),
        sysconfig.get_paths().get("stdlib", "/nonexistent"),
        sysconfig.get_paths().get("platstdlib", "/nonexistent"),
    }
)
_SELF = os.path.realpath(__file__)
_user_cache = {}


def _is_user(code):
    r = _user_cache.get(code.co_filename)
    if r is None:
        fn = code.co_filename
        if fn.startswith("<"):
            r = False
        else:
            real = os.path.realpath(fn)
            r = real != _SELF and not real.startswith(_SKIP_DIRS) and "zope" not in real
        _user_cache[code.co_filename] = r
    return r


def _show_path(fn):
    if os.path.isabs(fn):
        rel = os.path.relpath(fn)
        if not rel.startswith(".."):
            return rel
    return fn


def _user_frame(skip=2):
    f = sys._getframe(skip)
    while f is not None:
        if _is_user(f.f_code):
            return f
        f = f.f_back
    return None


# ---------------------------------------------------------------------------
# Values, rendered the way deferlab renders them
# ---------------------------------------------------------------------------


def _clean(s):
    """Valid UTF-8 text: lone surrogates become U+FFFD."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if s else s


def _str_repr(b):
    out = ['"']
    for c in b[:REPR_MAX]:
        if c in (0x22, 0x5C):
            out.append("\\" + chr(c))
        elif c == 0x0A:
            out.append("\\n")
        elif c < 0x20 or c == 0x7F:
            out.append("\\%d" % c)
        else:
            out.append(chr(c))
    body = "".join(out).encode("latin-1").decode("utf-8", "replace")
    return body + ("..." if len(b) > REPR_MAX else "") + '"'


def _exc_msg(e):
    args = getattr(e, "args", ())
    if len(args) == 0:
        return ""
    if len(args) == 1:
        return str(args[0])
    return str(e)


def _exc_str(e):
    m = _exc_msg(e)
    return type(e).__name__ + (": " + m if m else "")


def _dname(d):
    lab = d.__dict__.get("_dl_label")
    return lab if lab else "d#%d" % _id(d)


def render(v, depth=0):
    """(repr, vkind) of a Python value."""
    if v is None:
        return "nil", "none"
    if v is True or v is False:
        return ("true" if v else "false"), "bool"
    if isinstance(v, int):
        return str(v), "int"
    if isinstance(v, float):
        if -1e15 < v < 1e15 and v == int(v):
            return "%.1f" % v, "num"
        return "%.14g" % v, "num"
    if isinstance(v, str):
        return _str_repr(v.encode("utf-8", "surrogatepass")), "str"
    if isinstance(v, (bytes, bytearray)):
        return _str_repr(bytes(v)), "str"
    if isinstance(v, Failure):
        return "Failure(%s)" % _exc_str(v.value), "failure"
    if isinstance(v, BaseException):
        return _exc_str(v), "exception"
    if isinstance(v, type) and issubclass(v, BaseException):
        return v.__name__, "errtype"
    if isinstance(v, Deferred):
        cls = type(v).__name__
        waiting = v.__dict__.get("_dl_chained")
        if waiting is not None:
            return "<%s %s waiting on %s>" % (cls, _dname(v), _dname(waiting)), "deferred"
        if v.__dict__.get("called") and depth < 2:
            res = v.__dict__.get("_dl_result")
            return "<%s %s current result: %s>" % (cls, _dname(v), render(res, depth + 1)[0]), "deferred"
        return "<%s %s>" % (cls, _dname(v)), "deferred"
    if isinstance(v, (list, tuple)):
        if depth > 3:
            return "{...}", "list"
        items = [render(x, depth + 1)[0][:255] for x in v[:LIST_MAX]]
        if len(v) > LIST_MAX:
            items.append("...")
        return "{" + ", ".join(items) + "}", "list"
    if isinstance(v, dict):
        if depth > 3:
            return "{...}", "host"
        items = ["%s = %s" % (k if isinstance(k, str) else "[%s]" % render(k, depth + 1)[0],
                              render(x, depth + 1)[0][:255])
                 for k, x in list(v.items())[:LIST_MAX]]
        if len(v) > LIST_MAX:
            items.append("...")
        return "{" + ", ".join(items) + "}", "host"
    # Anything else: its own __repr__ when it has one (addresses would make
    # traces differ from run to run), else its class.
    if type(v).__repr__ is not object.__repr__:
        try:
            r = repr(v)
        except Exception:
            r = "<%s>" % type(v).__name__
        return (r[:REPR_MAX] + "..." if len(r) > REPR_MAX else r), "obj"
    return "<%s>" % type(v).__name__, "obj"


def fn_name(f):
    """deferlab-style names: double, λ@12, inner.callback, passthru."""
    if isinstance(f, functools.partial):
        return fn_name(f.func)
    self_ = getattr(f, "__self__", None)
    name = getattr(f, "__name__", None)
    if isinstance(self_, Deferred) and name in ("callback", "errback"):
        return "%s.%s" % (_dname(self_), name)  # chainDeferred's pair, as deferlab names it
    if name == "<lambda>":
        code = getattr(f, "__code__", None)
        return "λ@%d" % code.co_firstlineno if code else "λ"
    if name:
        return name
    return type(f).__name__


# ---------------------------------------------------------------------------
# The trace writer
# ---------------------------------------------------------------------------


class Recorder:
    def __init__(self, out, source, realtime):
        self.out = out
        self.seq = 0
        self.next_id = 0
        self.realtime = realtime
        self.start = time.monotonic()
        self.lock = threading.RLock()
        self.busy = False  # no events while rendering one (a repr may run user code)
        self.closed = False  # after the program: collections at exit are not recorded
        self.labels = {}
        header = {
            "format": "deferlab-trace",
            "version": 1,
            "producer": {
                "source": source,
                "engine": "twisted %s (tools/twisted_trace.py)" % twisted.__version__,
                "semantics": "twisted",
                "clock": "realtime" if realtime else "virtual",
            },
        }
        self._line(header)

    def _line(self, obj):
        self.out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")

    def new_id(self):
        with self.lock:
            self.next_id += 1
            return self.next_id

    def emit(self, kind, d=0, other=0, index=0, slot=None, count=None, value=_NO, name=None,
             name2=None, text=None, frame=None):
        with self.lock:
            if self.busy or self.closed:
                return
            self.busy = True
            try:
                ev = {"seq": self.seq}
                t = round(time.monotonic() - self.start, 6) if self.realtime else 0
                ev["t"] = t
                ev["kind"] = kind
                if d:
                    ev["d"] = d
                if other:
                    ev["other"] = other
                if index:
                    ev["index"] = index
                if slot is not None:
                    ev["slot"] = slot
                if count is not None:
                    ev["count"] = count
                if value is not _NO:
                    r, k = render(value)
                    ev["value"] = _clean(r)
                    ev["vkind"] = k
                if name is not None:
                    ev["name"] = _clean(name)
                if name2 is not None:
                    ev["name2"] = _clean(name2)
                if text is not None:
                    ev["text"] = _clean(text)
                f = frame if frame is not None else _user_frame(3)
                if f is not None:
                    ev["file"] = _clean(_show_path(f.f_code.co_filename))
                    ev["line"] = f.f_lineno
                self._line(ev)
                self.seq += 1
            finally:
                self.busy = False

    def label_for(self, name):
        """A unique label: the second `d` is d#2 ... (deferlab's d#N is the id form)."""
        n = self.labels.get(name, 0) + 1
        self.labels[name] = n
        return name if n == 1 else "%s_%d" % (name, n)


REC = None  # the Recorder while tracing

# ---------------------------------------------------------------------------
# Instrumenting Deferred
# ---------------------------------------------------------------------------

_orig = {
    name: getattr(Deferred, name)
    for name in ("__init__", "addCallbacks", "callback", "errback", "_startRunCallbacks",
                 "cancel", "chainDeferred")
}
_orig_del = DebugInfo.__del__
_PASS = (defer.passthru, getattr(defer, "_failthru", defer.passthru))


def _is_pass(f):
    return any(f is p for p in _PASS)  # identity: a callable need not be hashable
_ASSIGN = re.compile(r"^\s*(?:self\.)?([A-Za-z_][\w.]*)\s*(?::[^=]*)?=(?!=)")
_tls = threading.local()


def _id(d):
    i = d.__dict__.get("_dl_id")
    if i is None:
        i = REC.new_id() if REC else 0
        d.__dict__["_dl_id"] = i
    return i


def _how():
    return getattr(_tls, "how", None)


def _label_from_source(d):
    """`name = Deferred(...)` (or a subclass) directly in the user's code."""
    f = sys._getframe(2)
    while f is not None and f.f_code.co_name == "__init__" and f.f_locals.get("self") is d:
        f = f.f_back
    if f is None or not _is_user(f.f_code):
        return None
    m = _ASSIGN.match(linecache.getline(f.f_code.co_filename, f.f_lineno))
    if not m:
        return None
    return m.group(1).split(".")[-1]


def _init(self, *a, **kw):
    i = _id(self)
    REC.emit("created", d=i, text=type(self).__name__)
    lab = _label_from_source(self)
    if lab:
        self.__dict__["_dl_label"] = REC.label_for(lab)
        REC.emit("label", d=i, text=self.__dict__["_dl_label"])
    _orig["__init__"](self, *a, **kw)


def _wrap(d, index, slot, f):
    """f as run in slot `slot` of pair `index` of d: writes call/return or pass."""
    i = _id(d)
    if _is_pass(f):
        def passer(result, *a, **kw):
            REC.emit("pass", d=i, index=index, slot=slot, value=result)
            return f(result, *a, **kw)
        return passer
    name = fn_name(f)

    def runner(result, *a, **kw):
        REC.emit("call", d=i, index=index, slot=slot, value=result, name=name)
        try:
            out = f(result, *a, **kw)
        except BaseException as e:
            REC.emit("return", d=i, index=index, slot=slot, count=1, value=Failure(e), name=name)
            raise
        REC.emit("return", d=i, index=index, slot=slot, value=out, name=name)
        if isinstance(out, Deferred):
            if out is d:
                REC.emit("warning", d=i, text="a callback returned the Deferred it was attached to")
            else:
                res = out.__dict__.get("_dl_result", _NO)
                if not (res is _NO or isinstance(res, Deferred) or out.paused):
                    # Twisted takes the ready result right away.
                    REC.emit("stolen", d=i, other=_id(out), value=res)
        return out
    functools.update_wrapper(runner, f, assigned=("__module__", "__name__", "__qualname__", "__doc__"), updated=())
    return runner


def _add_callbacks(self, callback, errback=None, callbackArgs=(), callbackKeywords=None,
                   errbackArgs=(), errbackKeywords=None):
    if errback is None:
        errback = getattr(defer, "_failthru", defer.passthru)
    n = self.__dict__.get("_dl_pairs", 0) + 1
    self.__dict__["_dl_pairs"] = n
    names = ["passthru" if _is_pass(f) else fn_name(f) for f in (callback, errback)]
    REC.emit("added", d=_id(self), index=n, name=names[0], name2=names[1])
    kw = {}
    if callbackKeywords is not None:
        kw["callbackKeywords"] = callbackKeywords
    if errbackKeywords is not None:
        kw["errbackKeywords"] = errbackKeywords
    return _orig["addCallbacks"](self, _wrap(self, n, "callback", callback),
                                 _wrap(self, n, "errback", errback),
                                 callbackArgs=callbackArgs, errbackArgs=errbackArgs, **kw)


def _fire(how):
    def fire(self, *a, **kw):
        old = _how()
        _tls.how = how
        try:
            return _orig[how](self, *a, **kw)
        finally:
            _tls.how = old
    fire.__name__ = how
    fire.__qualname__ = "Deferred." + how
    fire.__doc__ = _orig[how].__doc__
    return fire


def _start(self, result):
    i = _id(self)
    if self.called:
        if self._suppressAlreadyCalled:
            REC.emit("suppressed", d=i)
        else:
            REC.emit("already-called", d=i)
    else:
        how = _how() or ("errback" if isinstance(result, Failure) else "callback")
        REC.emit("fired", d=i, value=result, text=how)
    _tls.how = None
    return _orig["_startRunCallbacks"](self, result)


def _cancel(self):
    i = _id(self)
    REC.emit("cancel", d=i)
    canceller = self._canceller
    if self.called or not canceller:
        return _orig["cancel"](self)

    def traced_canceller(d):
        REC.emit("canceller", d=i, name=fn_name(canceller))
        try:
            return canceller(d)
        except BaseException as e:
            REC.emit("canceller-raised", d=i, value=Failure(e))
            raise
    self._canceller = traced_canceller
    try:
        return _orig["cancel"](self)
    finally:
        self._canceller = canceller


def _chain(self, d):
    REC.emit("chained", d=_id(self), other=_id(d))
    _tls.chaining = True
    try:
        return _orig["chainDeferred"](self, d)
    finally:
        _tls.chaining = False


# Data descriptors on Deferred see every change Twisted makes to these
# attributes, including the ones inside _runCallbacks.


def _get_result(self):
    try:
        return self.__dict__["_dl_result"]
    except KeyError:
        raise AttributeError("result") from None


def _set_result(self, value):
    waited = self.__dict__.get("_dl_waiting_on")
    if waited is not None and value is not waited:
        # _runCallbacks' continuation: the Deferred we waited on gives its result.
        del self.__dict__["_dl_waiting_on"]
        REC.emit("handoff", d=_id(self), other=_id(waited), value=value)
    self.__dict__["_dl_result"] = value


def _del_result(self):
    self.__dict__.pop("_dl_result", None)


def _get_paused(self):
    return self.__dict__.get("_dl_paused", 0)


def _set_paused(self, value):
    old = self.__dict__.get("_dl_paused", 0)
    self.__dict__["_dl_paused"] = value
    if value != old:
        REC.emit("paused" if value > old else "unpaused", d=_id(self), count=value)


def _get_chained(self):
    return self.__dict__.get("_dl_chained")


def _set_chained(self, other):
    self.__dict__["_dl_chained"] = other
    if other is None or getattr(_tls, "chaining", False):
        return
    # _runCallbacks: a callback returned `other`, which has no result yet:
    # self pauses and appends a continuation to other.
    n = other.__dict__.get("_dl_pairs", 0) + 1
    other.__dict__["_dl_pairs"] = n
    REC.emit("added", d=_id(other), other=_id(self), index=n, name="continue")
    REC.emit("waiting", d=_id(self), other=_id(other))
    self.__dict__["_dl_waiting_on"] = other


def _get_debug(self):
    return self.__dict__.get("_dl_debug")


def _set_debug(self, info):
    self.__dict__["_dl_debug"] = info
    if info is not None:
        info._dl_owner = _id(self)


_reporting = threading.local()


def _debug_del(self):
    _reporting.owner = getattr(self, "_dl_owner", 0)
    try:
        _orig_del(self)
    finally:
        _reporting.owner = 0


def _observer(event):
    """The log observer: Twisted's "Unhandled error in Deferred" reports."""
    failure = event.get("log_failure")
    owner = getattr(_reporting, "owner", 0)
    if failure is not None and owner and REC is not None:
        REC.emit("unhandled", d=owner, value=failure)


class _Tee(io.TextIOBase):
    """stdout that also writes each printed line as an `output` event."""

    def __init__(self, inner):
        self.inner = inner
        self.buf = ""

    def writable(self):
        return True

    def write(self, s):
        self.inner.write(s)
        self.buf += s
        while "\n" in self.buf:
            line, self.buf = self.buf.split("\n", 1)
            REC.emit("output", text=line)
        return len(s)

    def flush(self):
        self.inner.flush()

    def finish(self):
        if self.buf:
            REC.emit("output", text=self.buf)
            self.buf = ""

    @property
    def encoding(self):
        return self.inner.encoding

    def fileno(self):
        return self.inner.fileno()

    def isatty(self):
        return self.inner.isatty()


def install(rec):
    global REC
    REC = rec
    Deferred.__init__ = _init
    Deferred.addCallbacks = _add_callbacks
    Deferred.callback = _fire("callback")
    Deferred.errback = _fire("errback")
    Deferred._startRunCallbacks = _start
    Deferred.cancel = _cancel
    Deferred.chainDeferred = _chain
    Deferred.result = property(_get_result, _set_result, _del_result)
    Deferred.paused = property(_get_paused, _set_paused)
    Deferred._chainedTo = property(_get_chained, _set_chained)
    Deferred._debugInfo = property(_get_debug, _set_debug)
    DebugInfo.__del__ = _debug_del
    globalLogPublisher.addObserver(_observer)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="twisted_trace.py",
        description="Record a Twisted program's Deferreds as a deferlab trace (.jsonl).")
    ap.add_argument("-o", "--output", required=True, help="the trace file to write")
    ap.add_argument("--time", choices=("real", "none"), default="real",
                    help="t = seconds since the start (real), or always 0 (none)")
    ap.add_argument("program", help="the Python program to run")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    o = ap.parse_args(argv)
    if not os.path.isfile(o.program):
        ap.error("no such program: %s" % o.program)

    out = open(o.output, "w", encoding="utf-8", newline="\n")
    rec = Recorder(out, _show_path(o.program), o.time == "real")
    install(rec)
    tee = _Tee(sys.stdout)
    sys.stdout = tee
    sys.argv = [o.program] + o.args
    sys.path.insert(0, os.path.dirname(os.path.abspath(o.program)))
    status = 0
    try:
        g = runpy.run_path(o.program, run_name="__main__")
        g.clear()
        del g
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        import traceback
        traceback.print_exc()
        status = 1
    finally:
        # What is left unreferenced now is what Twisted would report at exit.
        gc.collect()
        tee.finish()
        sys.stdout = tee.inner
        rec.closed = True
        out.flush()
        out.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
