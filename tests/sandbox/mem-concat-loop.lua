-- expect-status: 1
-- expect: mem-concat-loop.lua:6:
-- expect: memory limit exceeded
-- Doubling a string until it cannot be doubled.
local s = "x"
while true do s = s .. s end
