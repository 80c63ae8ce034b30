-- ControllableDeferred: wrap a Deferred you do not control in one you do.

-- you fire first: c fires with your value, then the original is cancelled
local original = Deferred(function() print("original's canceller ran") end)
local c = ControllableDeferred(original)
print(c.fired, c.called, c.original == original, c.deferred ~= original)
c:addCallback(function(v) print("c got", v) return v end):addErrback(function(f) return f end)
c:callback("mine")
print(c.fired, c.called, c.result, original.called)
c:callback("again") -- once fired, further fires do nothing
c:errback("ignored")
c:cancel()
print(c.result, tostring(c):match("fired") ~= nil)

-- the original fires first: its result goes to c; its own chain goes on with nil
local o2 = Deferred()
local c2 = ControllableDeferred(o2)
o2:callback(42)
print(c2.fired, c2.result, o2.result)
c2:callback("too late")
print(c2.result)

-- an original that had already fired
local c3 = ControllableDeferred(fail(ValueError("early")))
c3:addErrback(function(f) print("c3 failed:", f) end)

-- errback and cancel
local o4 = Deferred()
local c4 = ControllableDeferred(o4)
c4:addErrback(function(f) print("c4:", f) end)
c4:errback(KeyError("stop"))
print(o4.called, o4.result) -- cancelled, and its CancelledError swallowed

local o5 = Deferred()
local c5 = ControllableDeferred(o5)
c5:addErrback(function(f) print("c5:", f) end)
c5:cancel()
print(o5.called, c5.fired)
o5 = nil

-- cancelling c's Deferred itself is the same as c:cancel()
local o6 = Deferred(function() print("o6 cancelled") end)
local c6 = ControllableDeferred(o6)
c6.deferred:addErrback(function(f) print("c6:", f) end)
c6.deferred:cancel()
print(c6.fired)

-- pause/unpause act on both; where a Deferred itself is needed use c.deferred
local o7 = Deferred()
local c7 = ControllableDeferred(o7)
c7:pause()
print(o7.paused, c7.paused)
c7:unpause()
local both = gatherResults({c7.deferred, succeed(2)})
c7:callback(1)
print(both.result[1], both.result[2])
print(c7:label(), c7.deferred:label())

-- errors
print(pcall(function() ControllableDeferred(42) end))
print(pcall(function() c7:errback() end))
print(pcall(function() ControllableDeferred(Deferred()):callback(Deferred()) end))
print(pcall(function() c7.fired = false end))
print(pcall(function() c7:addCallback(5) end))
