-- expect-status: 1
-- expect: loop-inlinecallbacks.lua:7:
-- expect: instruction budget exhausted
-- An inlineCallbacks generator that loops after its first yield: each resume
-- is charged to the budget, which ends it.
local f = inlineCallbacks(function()
    while true do yield(succeed(1)) end
end)
f()
