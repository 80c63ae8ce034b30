-- scene.lua - a small lesson-sized scene whose trace bench/startup.py
-- replays to time startup to the first frame.
local clock = Clock()
local ds = {}
for i = 1, 20 do
    local d = Deferred()
    d:addCallback(function(v) return v + 1 end)
    d:addErrback(function(f) return 0 end)
    ds[i] = d
end
local dl = DeferredList(ds)
dl:addCallback(function(r) print("list fired with " .. #r .. " results") end)
for i = 1, 20 do
    clock:callLater(i, function() ds[i]:callback(i) end)
end
clock:advance(30)
