-- expect-status: 1
-- expect: mem-deferred-many.lua:6:
-- expect: limit
-- Deferreds live outside the Lua heap: a loop making them still ends.
local all = {}
for i = 1, math.huge do all[i] = Deferred() end
