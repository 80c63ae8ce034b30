-- args: --memory 16
-- a table that grows without end
local t = {}
while true do t[#t + 1] = {#t} end
