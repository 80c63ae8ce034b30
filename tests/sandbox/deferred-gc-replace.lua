-- expect-status: 1
-- expect: deferred-gc-replace.lua:7:
-- expect: attempt to index a string value
-- getmetatable returns a string: neither __gc nor __index can be replaced.
local mt = getmetatable(Deferred())
print(type(mt))
mt.__gc = function() print("gc") end
