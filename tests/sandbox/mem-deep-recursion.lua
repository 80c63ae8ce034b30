-- expect-status: 1
-- expect: mem-deep-recursion.lua:5:
-- expect: stack overflow
-- Unbounded recursion ends at Lua's own limit, not the C stack.
local function f(n) return 1 + f(n + 1) end
f(1)
