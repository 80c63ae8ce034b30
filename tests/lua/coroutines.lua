-- inlineCallbacks and yield.
print(yield == coroutine.yield)

-- finishes synchronously when everything it yields has fired
local sync = inlineCallbacks(function(x)
  local a = yield(succeed(10))
  local b = yield(5)            -- a plain value comes straight back
  return a + b + x
end)
local s = sync(1)
print(s.called, s.result)

-- waits on an unfired Deferred; the awaited Deferred's result becomes nil
local inner = Deferred()
local waiting = inlineCallbacks(function()
  local v = yield(inner)
  return v * 2
end)()
print(waiting.called, waiting)
inner:callback(21)
print(waiting.result, inner.result)

-- a failed Deferred raises its Failure at the yield; pcall catches it
local caught = inlineCallbacks(function()
  local ok, f = pcall(yield, fail(KeyError("k")))
  print("caught:", ok, f, isinstance(f, KeyError))
  local ok2, f2 = pcall(function() return yield(fail(ValueError("v"))) end)
  print("caught again:", ok2, f2.type.name)
  return "fine"
end)()
print(caught.result)

-- an uncaught error fails the returned Deferred (the same Failure)
local boom = Failure(ValueError("uncaught"))
local failing = inlineCallbacks(function()
  yield(fail(boom))
end)()
failing:addErrback(function(f) print("outer failed:", f, f == boom) end)
local raising = inlineCallbacks(function() error("text error") end)()
raising:addErrback(function(f) print("outer failed:", f, f.where) end)
local returning = inlineCallbacks(function() return Failure(TypeError("returned")) end)()
returning:addErrback(function(f) print("outer failed:", f) end)

-- a function that never yields still returns a Deferred
local plain = inlineCallbacks(function() return "no yield" end)()
print(plain, plain.result)

-- cancelling the returned Deferred cancels the awaited one;
-- the coroutine sees CancelledError at its yield
local awaited = Deferred(function() print("awaited's canceller runs") end)
local recovering = inlineCallbacks(function()
  local ok, f = pcall(yield, awaited)
  print("at the yield:", ok, f)
  return "recovered"
end)()
recovering:cancel()
print(recovering.result)
local awaited2 = Deferred()
local giving_up = inlineCallbacks(function() return yield(awaited2) end)()
giving_up:cancel()
giving_up:addErrback(function(f) print("gave up:", f) end)

-- 100,000 fired Deferreds in a row: the C stack stays flat
local many = inlineCallbacks(function()
  local sum = 0
  for i = 1, 100000 do sum = sum + yield(succeed(i)) end
  return sum
end)()
print(many.result)

-- inlineCallbacks inside inlineCallbacks, driven by time
local child = inlineCallbacks(function(n)
  yield(deferLater(reactor, n))
  return n * 100
end)
local parent = inlineCallbacks(function()
  local a = yield(child(1))
  local b = yield(child(2))
  return a + b
end)()
reactor:advance(1)
print(parent.called)
reactor:advance(2)
print(parent.result, reactor:seconds())

-- ordinary coroutines are untouched by the yield wrapper
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print(gen(), gen(), gen())
print(pcall(inlineCallbacks, 42))

-- resuming the driver's coroutine by hand does not confuse the driver
local co
local awaited3 = Deferred()
local sneaky = inlineCallbacks(function()
  co = coroutine.running()
  return yield(awaited3)
end)()
print(coroutine.resume(co, "by hand"))
awaited3:callback("real")
print(sneaky.result)
sneaky:addErrback(function() end)
