-- expect-status: 1
-- expect: loadfile.lua:4:
-- expect: attempt to call a nil value (global 'loadfile')
local f = loadfile("/etc/passwd")
