-- expect-status: 1
-- expect: pattern-backtracking.lua:6:
-- expect: pattern too costly for the sandbox
-- Lua's matcher backtracks in C where the budget cannot see it.
local s = string.rep("a", 40)
print(string.find(s, string.rep("a-", 40) .. "b"))
