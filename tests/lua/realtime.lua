-- args: --realtime
-- The reactor runs on real time: calls happen in time order after at least
-- their delay, deferLater really waits, a LoopingCall ticks until stopped,
-- and advance() is refused with the reason.
local t0 = reactor:seconds()
local function waited(s) return reactor:seconds() - t0 >= s end
reactor:callLater(0.06, function() print("second", waited(0.06)) end)
reactor:callLater(0.03, function() print("first", waited(0.03)) end)
deferLater(reactor, 0.09, function() return "later" end):addCallback(function(v)
    print("deferLater", v, waited(0.09))
end)
local n = 0
local lc
lc = LoopingCall(function()
    n = n + 1
    if n == 3 then lc:stop() end
end)
lc:start(0.2):addCallback(function() print("looped", n, waited(0.4)) end)
local ok, err = pcall(function() reactor:advance(1) end)
print("advance refused", not ok, err:find("real time") ~= nil)
