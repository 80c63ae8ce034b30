-- expect-status: 1
-- expect: gc-metamethod.lua:6:
-- expect: __gc metamethods are not allowed in the sandbox
-- Finalizers run with hooks off, so a looping __gc could never be stopped:
-- they are refused when the metatable is set.
setmetatable({}, {__gc = function() while true do end end})
