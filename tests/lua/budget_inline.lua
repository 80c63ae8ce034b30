-- args: --budget 1000000
local spin = inlineCallbacks(function() while true do yield(succeed(1)) end end)
spin()
print("never printed")
