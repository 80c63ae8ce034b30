-- args: --strict
-- Callables the host shares and the names it gives them: one function added
-- to many Deferreds, functions named only by the variable that holds them,
-- and a quiet run that still names the Deferred of an unhandled error.
local function inc(x) return x + 1 end

-- One function on many chains: each chain holds it, firing one chain (which
-- lets go of it) leaves the others whole.
local a, b = Deferred(), Deferred()
a:addCallback(inc):addCallback(inc)
b:addCallback(inc)
a:callback(1)
local c = Deferred()
c:addCallback(inc):addBoth(inc)
b:callback(10)
c:callback(100)
print(a.result, b.result, c.result)

-- A function whose definition line names nothing takes the caller's name
-- for it, per call site; its own name wins when the line gives one.
local function make(k)
    return function(x) return x * k end
end
local twice, thrice = make(2), make(3)
local d = Deferred()
d:addCallback(twice)
d:addCallback(thrice)
d:addCallback(twice)
d:callback(1)
print(d.result)

-- The same function in a loop, its Deferreds released and collected between
-- uses: a new closure per round, each named from its definition.
local total = 0
for round = 1, 3 do
    local function step(x) return x + round end
    local e = Deferred()
    e:addCallback(step):addCallback(step)
    e:callback(0)
    total = total + e.result
    e = nil
    collectgarbage()
end
print("total", total)

-- With --quiet the run listens to few events, but an unhandled error still
-- names its Deferred (labels are heard), and --strict fails the run.
local lost = Deferred()
lost:addCallback(function(x) error(ValueError("nobody listens")) end)
lost:callback(1)
lost = nil
collectgarbage()
