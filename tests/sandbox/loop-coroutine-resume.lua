-- expect-status: 1
-- expect: instruction budget exhausted
-- coroutine.resume catches errors like pcall: the budget still ends the run.
local co = coroutine.create(function() while true do end end)
print(coroutine.resume(co))
while true do coroutine.resume(coroutine.create(function() end)) end
