-- expect-status: 1
-- expect: loop-coroutine.lua:5:
-- expect: instruction budget exhausted
-- Coroutines inherit the hook.
local co = coroutine.wrap(function() while true do end end)
co()
