-- expect-status: 1
-- expect: print-tostring-raises.lua:5:
-- expect: inside __tostring
-- print of a value whose __tostring raises.
print(setmetatable({}, {__tostring = function() error("inside __tostring") end}))
