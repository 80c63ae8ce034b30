-- expect-status: 1
-- expect: error-tostring-loops.lua
-- An error object whose __tostring never returns.
local e = setmetatable({}, {__tostring = function() while true do end end})
error(e)
