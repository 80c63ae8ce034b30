-- expect-status: 1
-- expect: loop-callback.lua:6:
-- expect: instruction budget exhausted
-- A callback that never returns.
local d = Deferred()
d:addCallback(function(v) while true do end end)
d:callback(1)
