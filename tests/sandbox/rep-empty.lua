-- expect-status: 1
-- expect: rep-empty.lua:5:
-- expect: instruction budget exhausted
-- string.rep of nothing, 10^14 times: no memory, all C time.
local s = string.rep("", 1e14)
