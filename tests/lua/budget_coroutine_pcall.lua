-- args: --budget 1000000
-- an endless loop inside a coroutine, resumed under pcall
local co = coroutine.create(function() while true do end end)
print(coroutine.resume(co))
print(pcall(coroutine.resume, co))
print("never printed")
