-- expect-status: 1
-- expect: mem-table-growth.lua:6:
-- expect: memory limit exceeded
-- A table that never stops growing.
local t = {}
for i = 1, math.huge do t[i] = {i, tostring(i)} end
