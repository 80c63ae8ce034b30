-- expect-status: 1
-- expect: loop-inlinecallbacks.lua:8:
-- expect: memory limit exceeded (64 MiB)
-- An inlineCallbacks generator that loops after its first yield.
local f = inlineCallbacks(function()
    while true do yield(succeed(1)) end
end)
f()
