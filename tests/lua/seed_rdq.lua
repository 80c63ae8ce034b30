-- ResizableDispatchQueue (the seed blog's SMS sender) and DeferredPriorityQueue.

-- sendSMS(n): takes 10 seconds, then gives n * 100.
local function sendSMS(n)
    return deferLater(reactor, 10, function() return n * 100 end)
end

local function args(jobs)
    local out = {}
    for i, job in ipairs(jobs) do out[i] = tostring(job.jobarg) end
    return "{" .. table.concat(out, ", ") .. "}"
end

-- put()'s Deferred fires with the Job, or fails with args {job}
local function jobOf(d)
    if d.result.value then -- a Failure
        return d.result.value.args[1]
    end
    return d.result
end

local q = ResizableDispatchQueue(sendSMS, 5)
print("width", q.width)
local d = {}
for i = 1, 12 do d[i] = q:put(i, 5) end
print("underway", args(q:underway()), "pending", args(q:pending()))

-- d2:cancel(): job 2 was underway; its worker takes job 6 at once
d[2]:addErrback(function(f)
    local job = f.value.args[1]
    print("job 2:", f.type == CancelledError, job.state, job.stoppedAt)
end)
d[2]:cancel()
print("underway", args(q:underway()))

-- widen to 10: five more go at once
q.width = 10
print("width", q.width, "underway", args(q:underway()), "pending", args(q:pending()))

-- narrow to 7: underway jobs go on; three workers will stop
q.width = 7
print("width", q.width, "underway count", #q:underway())

-- more jobs; cancel a pending one; reprioritize another
for i = 13, 20 do d[i] = q:put(i, 5) end
local j13 = q:pending()[2]
print("cancel", j13.jobarg, j13.state)
j13:cancel()
print(j13.state, d[13].result.type == CancelledError)
d[13]:addErrback(function() end)
local j20 = q:pending()[8]
q:reprioritize(j20, -1)
print("reprioritized", j20.jobarg, j20.priority, "pending", args(q:pending()))

-- t=10: all ten finish; 3 workers stop, 7 take the best pending jobs
d[1]:addCallback(function(job)
    print("job 1:", job.jobarg, job.state, job.result, job.queuedAt, job.launchedAt, job.stoppedAt)
    return job
end)
reactor:advance(10)
print("t=10 underway", args(q:underway()), "pending", args(q:pending()))

-- pause(): nothing new starts; its Deferred waits for the underway jobs
local paused = q:pause()
print("paused", q.paused, q.width, paused.called)
for i = 21, 28 do d[i] = q:put(i, 5) end
print("pending count", #q:pending())
reactor:advance(10)
print("t=20 paused fired:", paused.called, paused.result, "underway", #q:underway())
local j12 = jobOf(d[12])
print("job 12:", j12.launchedAt, j12.stoppedAt)

-- resume(8) at t=20: eight go
q:resume(8)
print("width", q.width, "underway", args(q:underway()))

-- stop(): wait for those, then the jobs never processed
local stopped = q:stop()
print("stopped", q.stopped, stopped.called)
local ok, e = pcall(function() q:put(99) end)
print(ok, e, isinstance(e, QueueStopped))
reactor:advance(10)
print("stop fired with", args(stopped.result))
local j27 = jobOf(d[27])
print("job 27:", j27.queuedAt, j27.launchedAt, j27.stoppedAt)
local j28 = stopped.result[1]
print("job 28:", j28.state, j28.launchedAt, j28.stoppedAt, j28.result, j28.failure)
print(pcall(function() q:resume(1) end))

-- a failing job: put()'s Deferred fails with fn's type and message, args {job}
local fq = ResizableDispatchQueue(function(x)
    if x == "bad" then error(ValueError("cannot send " .. x)) end
    return x:upper()
end, 1)
local good = fq:put("ok")
print("good", good.result.result, good.result.state)
local bad = fq:put("bad")
bad:addErrback(function(f)
    local job = f.value.args[1]
    print("bad", f, job.state, job.failure, job.result)
end)

-- priorities: lower numbers first; equal ones keep put order
local order = {}
local pq = ResizableDispatchQueue(function(x) order[#order + 1] = x end, 0)
pq:put("c", 3)
pq:put("a", 1)
pq:put("b1", 2)
pq:put("b2", 2)
pq:put("zero") -- default priority 0
pq.width = 1
print("run order", table.concat(order, " "))
pq:pause()
print(pq.width, pq.paused)
pq:resume()
print(pq.width, pq.paused)

-- DeferredPriorityQueue
local dpq = DeferredPriorityQueue()
dpq:put("low", 10)
dpq:put("high", -1)
dpq:put("mid", 5)
print(#dpq, table.concat(dpq.pending, " "), dpq.waiting)
print(dpq:get().result, dpq:get().result, #dpq)
local g1, g2 = dpq:get(), dpq:get()
print(g1.result, g2.called, dpq.waiting)
dpq:put("next", 0)
print(g2.result, dpq.waiting)
local g3 = dpq:get()
g3:addErrback(function(f) print("get cancelled:", f) end)
g3:cancel()
print(dpq.waiting)
dpq:put(1, 1)
print(pcall(function() dpq:put(1, 2) end))

-- errors
print(pcall(function() ResizableDispatchQueue(sendSMS, -1) end))
print(pcall(function() ResizableDispatchQueue("f", 1) end))
print(pcall(function() q.width = -2 end))
print(pcall(function() q.width = "wide" end))
print(pcall(function() q.pending = {} end))
print(pcall(function() q:reprioritize(j27, 1) end))
print(pcall(function() q:reprioritize(q, 1) end))
print(pcall(function() q:resume(-1) end))
print(pcall(function() dpq:put("x", "high") end))
print(pcall(function() j28.priority = 3 end))
print(tostring(j28), getmetatable(j28))
