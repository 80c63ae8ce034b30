-- expect-status: 1
-- expect: mem-coroutine-many.lua:6:
-- expect: memory limit exceeded
-- Many live coroutines, each holding a stack.
local all = {}
for i = 1, math.huge do local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) all[i] = co end
