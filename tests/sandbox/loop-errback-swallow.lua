-- expect-status: 1
-- expect: instruction budget exhausted
-- The budget error inside a callback becomes a Failure; an errback that
-- swallows it must not bring the run back to life.
local d = Deferred()
d:addCallback(function(v) while true do end end)
d:addErrback(function(f) return "swallowed" end)
d:callback(1)
print("still running?", d.result)
while true do end
