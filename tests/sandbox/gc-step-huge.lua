-- expect-status: 1
-- expect: gc-step-huge.lua:8:
-- expect: instruction budget exhausted
-- A collection runs no Lua instruction, so each costs budget by heap size.
collectgarbage("step", math.maxinteger)
print("one huge step is fine")
local keep = {} for i = 1, 1e5 do keep[i] = {i} end
while true do collectgarbage("step", 1 << 62) end
