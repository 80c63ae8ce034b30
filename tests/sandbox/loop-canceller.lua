-- expect-status: 1
-- expect: loop-canceller.lua:5:
-- expect: instruction budget exhausted
-- A canceller that never returns.
local d = Deferred(function(d) while true do end end)
d:cancel()
