-- DeferredListObserver: a growing list of Deferreds, observers told of each firing.
local dlo = DeferredListObserver{maintainHistory = true}
local events = {}
dlo:observe(function(index, success, value)
    print("observed", index, success, value)
    events[#events + 1] = index
end)
local d1, d2, d3 = Deferred(), Deferred(), Deferred()
print("indices", dlo:append(d1), dlo:append(d2), dlo:append(d3))
print(dlo.pendingCount, dlo.successCount, dlo.failureCount, #dlo.history)
d2:callback("two")
d1:errback(ValueError("one failed"))
-- the result is handed on unchanged (still a failure for d1)
d1:addErrback(function(f) print("d1 still fails:", f) end)
print(dlo.pendingCount, dlo.successCount, dlo.failureCount)

-- an already-fired Deferred reports inside append(); later observers only see later events
local second = {}
dlo:observe(function(i, ok) second[#second + 1] = i .. ":" .. tostring(ok) end)
print("index", dlo:append(succeed("four")))
d3:callback(nil)
print(table.concat(second, " "))
for _, h in ipairs(dlo.history) do
    print("history", h[1], h[2], h[3], h.n)
end
print(dlo.pendingCount, dlo.successCount, dlo.failureCount)

-- without history; an observer that raises fails that Deferred
local plain = DeferredListObserver()
print("history:", plain.history)
plain:observe(function(i) error("observer broke on " .. i) end)
local d = Deferred()
plain:append(d)
d:addErrback(function(f) print("d now fails:", f.value.message) end)
d:callback(1)

-- errors
print(pcall(function() plain:observe(42) end))
print(pcall(function() plain:append("x") end))
print(pcall(function() plain.pendingCount = 0 end))
print(pcall(DeferredListObserver, 1))
