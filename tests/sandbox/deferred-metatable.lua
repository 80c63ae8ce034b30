-- expect-status: 1
-- expect: deferred-metatable.lua:7:
-- expect: bad argument #1 to 'setmetatable' (table expected, got deferlab.Deferred)
-- Engine objects' metatables are protected.
local d = Deferred()
print(getmetatable(d))
setmetatable(d, {})
