-- expect-status: 1
-- expect: loop-calllater.lua:6: instruction budget exhausted
-- A delayed call that re-schedules itself forever at the same time: few Lua
-- instructions a round, but each call into Lua and each binding call is
-- charged, and the collector keeps memory flat, so the budget ends it.
local function again() reactor:callLater(0, again) end
reactor:callLater(0, again)
reactor:advance(0)
reactor:advance(1)
