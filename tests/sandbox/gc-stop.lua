-- expect-status: 1
-- expect: gc-stop.lua:5:
-- expect: collectgarbage("stop") is not allowed in the sandbox
-- Switching the collector off is refused.
collectgarbage("stop")
local t = {}
for i = 1, 1e8 do t[i] = {i} end
