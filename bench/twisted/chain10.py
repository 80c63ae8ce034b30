"""chain10.py - twin of bench/chain10.c (and bench/chain10.lua) on Twisted."""
import sys
import time

from twisted.internet.defer import Deferred


def inc(x):
    return x + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    t0 = time.perf_counter()
    for _ in range(n):
        d = Deferred()
        for _ in range(10):
            d.addCallback(inc)
        d.callback(0)
        assert d.result == 10
    t1 = time.perf_counter()
    print("bench=chain10 impl=twisted ops=%d seconds=%.6f" % (n * 10, t1 - t0))


main()
