-- DeferredPool: add, size, notifyWhenEmpty; the seed blog's graceful shutdown.
local pool = DeferredPool()
print(pool.size, pool.waiting)
local empty = pool:notifyWhenEmpty()
print("empty pool, testImmediately:", empty.called, empty.result)
local later = pool:notifyWhenEmpty(false)
print("testImmediately=false waits:", later.called, pool.waiting)

local a, b = Deferred(), Deferred()
pool:add(a)
pool:add(b)
pool:add(a) -- already there: nothing changes
print("size", pool.size)
a:callback("A")
print("a left:", pool.size, later.called, a.result) -- the result is untouched
b:callback("B")
print("b left:", pool.size, later.called, later.result, pool.waiting)

-- a Deferred that has already fired passes straight through
pool:add(succeed(1))
print("fired Deferred:", pool.size)

-- a waiter may be cancelled: it leaves the waiting list
pool:add(Deferred())
local w = pool:notifyWhenEmpty()
print("waiting", pool.waiting)
w:addErrback(function(f) print("waiter cancelled:", f) end)
w:cancel()
print("waiting", pool.waiting)

-- The blog's graceful shutdown: stopService waits for the requests in flight.
local clock = reactor
local requests = DeferredPool()
for i, after in ipairs({1.0, 3.0, 2.0}) do
    local req = deferLater(clock, after, function()
        print(string.format("req%d done @%g", i, clock:seconds()))
        return i
    end)
    requests:add(req)
end
clock:advance(0.5)
local stopped = requests:notifyWhenEmpty()
stopped:addCallback(function(r) print(string.format("stopped @%g", clock:seconds()), r) end)
clock:advance(0.5)
print("in flight:", requests.size)
clock:advance(1.0)
print("in flight:", requests.size, stopped.called)
clock:advance(1.0)
print("in flight:", requests.size, stopped.called)

-- errors
print(pcall(function() pool:add(42) end))
print(pcall(function() pool.add(nil, Deferred()) end))
print(pcall(function() DeferredPriorityQueue().put(pool, 1) end))
print(pcall(function() pool.size = 3 end))
print(tostring(pool):match("^<DeferredPool") ~= nil, getmetatable(pool))
