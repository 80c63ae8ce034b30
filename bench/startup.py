"""startup.py - time `deferlab replay TRACE` from exec to its first frame.

Runs deferlab on a pseudo-terminal of 200x60 and reads what it writes until
the first frame is complete: the frame's last row (the key hints) has
appeared, after the clear-screen that starts it. Prints one line,
    bench=startup impl=pty ops=1 seconds=S
then quits deferlab with 'q'. Needs only the standard library.

usage: startup.py DEFERLAB TRACE MARKER
"""
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time


def main():
    deferlab, trace, marker = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    t0 = time.perf_counter()
    proc = subprocess.Popen([deferlab, "replay", trace], stdin=slave, stdout=slave,
                            stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    elapsed = None
    deadline = t0 + 10
    while time.perf_counter() < deadline:
        r, _, _ = select.select([master], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if marker in seen:
            elapsed = time.perf_counter() - t0
            break
    os.write(master, b"q")
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if elapsed is None:
        sys.stderr.write("startup.py: no first frame seen (marker %r)\n" % marker)
        sys.stderr.write(repr(seen[-400:]) + "\n")
        sys.exit(1)
    print("bench=startup impl=pty ops=1 seconds=%.6f" % elapsed)


main()
