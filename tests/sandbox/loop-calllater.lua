-- expect-status: 1
-- expect: limit exceeded (64 MiB)
-- A delayed call that re-schedules itself forever at the same time.
local function again() reactor:callLater(0, again) end
reactor:callLater(0, again)
reactor:advance(0)
reactor:advance(1)
