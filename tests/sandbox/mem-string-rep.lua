-- expect-status: 1
-- expect: mem-string-rep.lua:5:
-- expect: memory limit exceeded (64 MiB)
-- One huge string.
local s = string.rep("x", 1 << 30)
