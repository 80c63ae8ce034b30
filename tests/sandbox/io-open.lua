-- expect-status: 1
-- expect: io-open.lua:5:
-- expect: attempt to index a nil value (global 'io')
-- The io library is never opened.
local f = io.open("/etc/passwd")
