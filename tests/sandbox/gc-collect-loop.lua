-- expect-status: 1
-- expect: gc-collect-loop.lua:6:
-- expect: instruction budget exhausted
-- Full collections of a big heap in a loop.
local t = {} for i = 1, 2e5 do t[i] = {i} end
while true do collectgarbage() end
