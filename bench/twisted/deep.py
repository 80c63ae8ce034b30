"""deep.py - twin of bench/deep.c on Twisted (reference 2.5)."""
import sys
import time

from twisted.internet.defer import Deferred


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    t0 = time.perf_counter()
    ds = [Deferred() for _ in range(n)]
    for i in range(n - 1):
        ds[i].addCallback(lambda _, nxt=ds[i + 1]: nxt)
    ds[0].addCallback(lambda v: v)
    for i in range(n - 1):
        ds[i].callback(None)
    ds[n - 1].callback(42)
    t1 = time.perf_counter()
    assert ds[0].result == 42
    print("bench=deep impl=twisted ops=%d seconds=%.6f" % (n, t1 - t0))


main()
