-- succeed, fail, maybeDeferred, DeferredList, gatherResults, race.
local s = succeed(5)
print(s, s.called)
local fl = fail(ValueError("f"))
fl:addErrback(function(f) print("fail gives", f) end)
print(pcall(fail))

-- maybeDeferred: value, raise, returned Failure, returned Deferred (the same one)
print(maybeDeferred(function(a, b) return a + b end, 2, 3).result)
local m = maybeDeferred(function() error(KeyError("raised")) end)
print(m.result)
m:addErrback(function() end)
local m2 = maybeDeferred(function() return Failure(TypeError("returned")) end)
print(m2.result)
m2:addErrback(function() end)
local existing = Deferred()
print(maybeDeferred(function() return existing end) == existing)

-- DeferredList: list order, {ok, value} pairs
local a, b, c = Deferred(), Deferred(), Deferred()
local dl = DeferredList({a, b, c})
dl:addCallback(function(results)
  for i, r in ipairs(results) do print(i, r[1], r[2]) end
  return #results
end)
c:callback("c")
a:callback("a")
b:errback(KeyError("kb"))
print(dl.result, b.result)
b:addErrback(function() end)

-- consumeErrors turns the input's failure into nil
local x = Deferred()
local dl2 = DeferredList({x}, {consumeErrors = true})
x:errback(ValueError("consumed"))
print(x.result, dl2.result[1][1], dl2.result[1][2])

-- fireOnOneCallback: {value, index} with a 1-based index
local p, q = Deferred(), Deferred()
local first = DeferredList({p, q}, {fireOnOneCallback = true})
q:callback("q wins")
print(first.result[1], first.result[2])
-- fireOnOneErrback: FirstError with subFailure and a 1-based index
local r1, r2 = Deferred(), Deferred()
local fe = DeferredList({r1, r2}, {fireOnOneErrback = true, consumeErrors = true})
r2:errback(ValueError("second failed"))
fe:addErrback(function(f)
  print(f.type.name, f.value.index, f.value.subFailure, isinstance(f.value, FirstError))
  print(f.value)
end)
print(type(DeferredList({}).result), #DeferredList({}).result)

-- gatherResults: the values in input order, or FirstError
local g1, g2 = Deferred(), Deferred()
local g = gatherResults({g1, g2})
g2:callback(2)
g1:callback(1)
print(g.result[1], g.result[2])
local h = gatherResults({succeed(1), fail(KeyError("k"))}, true)
h:addErrback(function(f) print(f.value.index, f.value.subFailure.value) end)

-- race: {index, value} (1-based); losers cancelled; all fail: FailureGroup
local l1 = Deferred(function() print("loser cancelled") end)
local l2 = Deferred()
local rc = race({l1, l2})
l2:callback("fast")
print(rc.result[1], rc.result[2])
local rc2 = race({fail(KeyError("one")), fail(ValueError("two"))})
rc2:addErrback(function(f)
  print(f.type.name, #f.value.failures, f.value.failures[1], f.value.failures[2])
end)

-- not a Deferred in the list
print(pcall(DeferredList, {1}))
