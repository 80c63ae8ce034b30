-- expect-status: 1
-- expect: os-execute.lua:5:
-- expect: attempt to index a nil value (global 'os')
-- The os library is never opened: no processes, no environment, no clock.
os.execute("touch /tmp/deferlab-pwned")
