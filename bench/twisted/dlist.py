"""dlist.py - twin of bench/dlist.c on Twisted."""
import sys
import time

from twisted.internet.defer import Deferred, DeferredList


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    t0 = time.perf_counter()
    ds = [Deferred() for _ in range(n)]
    dl = DeferredList(ds)
    for i, d in enumerate(ds):
        d.callback(i)
    t1 = time.perf_counter()
    assert dl.called and len(dl.result) == n and dl.result[-1] == (True, n - 1)
    print("bench=dlist impl=twisted ops=%d seconds=%.6f" % (n, t1 - t0))


main()
