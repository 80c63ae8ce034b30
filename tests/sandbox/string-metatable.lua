-- expect-status: 1
-- expect: string-metatable.lua:9:
-- expect: attempt to call a nil value (method 'dump')
-- getmetatable("").__index is the (sandboxed) string table: no dump there
-- either, and changing it only changes this run's strings.
local mt = getmetatable("")
print(mt.__index == string, mt.__index.dump)
mt.__index.upper = function() return "hijacked" end
print(("abc"):upper(), ("x"):dump())
