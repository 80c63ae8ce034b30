-- expect-status: 1
-- expect: loop-loopingcall.lua:6:
-- expect: instruction budget exhausted
-- A LoopingCall whose function loops, driven by the virtual clock.
local n = 0
local lc = LoopingCall(function() n = n + 1 if n > 2 then while true do end end end)
lc:start(1)
reactor:advance(1)
reactor:advance(1)
