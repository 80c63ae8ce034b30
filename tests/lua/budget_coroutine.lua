-- args: --budget 1000000
-- coroutines share the budget
local co = coroutine.wrap(function() while true do coroutine.yield() end end)
while true do co() end
