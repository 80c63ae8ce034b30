-- expect-status: 1
-- expect: dofile.lua:4:
-- expect: attempt to call a nil value (global 'dofile')
dofile("/etc/passwd")
