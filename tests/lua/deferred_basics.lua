-- Deferred: every method and field of lua-api.md's table.
local function double(x) return x * 2 end
local function add(x, n, m) return x + n + (m or 0) end

-- addCallback with extra arguments, the chain, result/called fields
local d1 = Deferred()
print(d1, d1.called, d1.result, d1:hasResult(), d1.paused)
print(d1:addCallback(double) == d1)
d1:addCallback(add, 3, 4)
d1:callback(5)
print(d1, d1.called, d1.result, d1:hasResult())

-- labels: inferred, d#N when not inferable, explicit
print(d1:label())
local unnamed = {Deferred()}
print(unnamed[1]:label())
print(unnamed[1]:label("custom") == unnamed[1], unnamed[1])
local named = Deferred{label = "given"}
print(named)

-- addErrback / addBoth / addCallbacks with callbackArgs and errbackArgs
local d2 = Deferred()
d2:addCallback(function(r) error(ValueError("from cb")) end)
d2:addCallback(function(r) print("skipped") end)
d2:addErrback(function(f, tag) print("eb", tag, f) return "recovered" end, "T")
d2:addBoth(function(r, tag) print("both", tag, r) return r end, "B")
d2:addCallbacks(function(r, a) print("cbs", r, a) return r end,
                function(f) print("never") end,
                {callbackArgs = {"cbarg"}, errbackArgs = {"ebarg"}})
d2:addCallbacks(function(r) error("plain text") end)
d2:addCallbacks(function() print("never") end,
                function(f, a, b) print("ebs", f, a, b) end,
                {errbackArgs = {"x", "y"}})
d2:callback(1)
print(d2.result)

-- a callback that returns a Failure takes the errback track
local d3 = Deferred()
d3:addCallback(function() return Failure(KeyError("returned")) end)
d3:addErrback(function(f) print("errback got", f) end)
d3:callback(0)

-- errback with a Failure, an exception, a string; errback() is a TypeError
local f0 = Failure(ValueError("ready"))
local d4 = Deferred()
d4:addErrback(function(f) print(f == f0, f) end)
d4:errback(f0)
local d5 = Deferred()
d5:addErrback(function(f) print(f, f.type == RuntimeError) end)
d5:errback(RuntimeError("exc"))
local d6 = Deferred()
d6:addErrback(function(f) print(f, f.value.message) end)
d6:errback("just a string")
local ok, e = pcall(Deferred().errback, Deferred())
print(ok, e, isinstance(e, TypeError))

-- firing twice, callback(aDeferred), non-callable callbacks
ok, e = pcall(d1.callback, d1, 1)
print(ok, e, isinstance(e, AlreadyCalledError))
ok, e = pcall(d1.errback, d1, "x")
print(ok, e)
local d7 = Deferred()
ok, e = pcall(d7.callback, d7, Deferred())
print(ok, e, d7.called)
ok, e = pcall(d7.addCallback, d7, 42)
print(ok, e)

-- pause / unpause: a signed counter
local d8 = Deferred()
d8:addCallback(function(r) print("ran with", r) return r end)
d8:pause()
d8:pause()
d8:callback("p")
print(d8.paused, d8.called, d8)
d8:unpause()
print(d8.paused)
d8:unpause()
print(d8.paused, d8)

-- returning a Deferred chains; tostring shows "waiting on"
local outer = Deferred()
local inner = Deferred()
outer:addCallback(function() return inner end)
outer:addCallback(function(r) print("outer got", r) return r end)
outer:callback("go")
print(outer, outer.paused, outer.result == inner)
inner:callback("inner value")
print(outer, inner)

-- cancel: canceller gets the Deferred; no canceller swallows one late fire
local c1 = Deferred(function(d) print("canceller got", d) end)
c1:addErrback(function(f) print("c1", f) end)
c1:cancel()
local c2 = Deferred()
c2:addErrback(function(f) print("c2", f) end)
c2:cancel()
c2:callback("late, swallowed")
ok, e = pcall(c2.callback, c2, "later")
print(ok, e)
local c3 = Deferred{canceller = function(d) d:callback("cancel value") end}
c3:cancel()
print(c3.result)
local c4 = Deferred(function() error(ValueError("canceller broke")) end)
ok, e = pcall(c4.cancel, c4)
print(ok, e, c4.called)
-- cancel forwards to the Deferred waited on
local w1, w2 = Deferred(), Deferred(function() print("w2 cancelled") end)
w1:addCallback(function() return w2 end)
w1:callback(1)
w1:addErrback(function(f) print("w1 sees", f) end)
w1:cancel()

-- chainDeferred returns self
local a, b = Deferred(), Deferred()
print(a:chainDeferred(b) == a)
b:addCallback(function(r) print("b got", r) end)
a:callback("chained")
print(a.result, b.result)

-- values keep identity through the engine
local t = {1, 2}
local got
succeed(t):addCallback(function(r) got = r end)
print(got == t)
local fn = function() end
print(succeed(fn).result == fn, succeed(2.0).result, math.type(succeed(2).result))

-- read-only fields
ok, e = pcall(function() d1.called = false end)
print(ok, (e:gsub("^.-:%d+: ", "")))
