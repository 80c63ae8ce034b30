-- args: --budget 1000000
-- an endless callback stops the run even when the caller uses pcall
local d = Deferred()
d:addCallback(function() while true do end end)
print(pcall(d.callback, d, 1))
print("never printed")
