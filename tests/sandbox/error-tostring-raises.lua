-- expect-status: 1
-- expect: error-tostring-raises.lua:6:
-- expect: error object is a table value
-- An error object whose __tostring raises in turn.
local e = setmetatable({}, {__tostring = function() error("inside __tostring") end})
error(e)
