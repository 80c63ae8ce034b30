-- args: --budget 1000000
-- an endless Lua backoff iterator stops the run even under pcall
local r = RetryingCall(function() error("down") end)
print(pcall(r.start, r, function() while true do end end))
print("never printed")
