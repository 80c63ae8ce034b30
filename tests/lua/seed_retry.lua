-- RetryingCall and simpleBackoffIterator: the seed blog's S3 504s and Twitter's one 404.
local HttpError = ErrorType("HttpError")

-- Advance the virtual reactor call by call until nothing is pending.
local function runClock()
    while #reactor:getDelayedCalls() > 0 do
        local first = math.huge
        for _, c in ipairs(reactor:getDelayedCalls()) do first = math.min(first, c:getTime()) end
        reactor:advance(first - reactor:seconds())
    end
end

-- getPage(url) answering with the given statuses in turn (0: success).
local function scriptedGetPage(statuses)
    local n, log, raised = 0, {}, {}
    local function getPage(url)
        n = n + 1
        log[#log + 1] = string.format("@%g", reactor:seconds())
        local status = statuses[n]
        if status == 0 then return "page of " .. url end
        local e = HttpError(tostring(status))
        e.status = status
        raised[n] = e
        error(e)
    end
    return getPage, log, raised
end

-- The seed's S3 tester: failure.trap(error.Error); retry only 504.
local function s3Tester(f)
    f:trap(HttpError)
    if f.value.status ~= 504 then return f end
end

-- default delays
local it = simpleBackoffIterator()
local delays = {}
for delay in it do delays[#delays + 1] = string.format("%g", delay) end
print("default delays:", table.concat(delays, " "))
local custom = simpleBackoffIterator{maxResults = 5, now = false, initDelay = 1, maxDelay = 5,
                                     incFunc = function(d) return d * 3 end}
delays = {}
for delay in custom do delays[#delays + 1] = string.format("%g", delay) end
print("custom delays:", table.concat(delays, " "))

-- 504, 504, then the page: tries at 0, 0.01 and 0.03 (delays 0, 0.01, 0.02)
local getPage, log = scriptedGetPage{504, 504, 0}
local r = RetryingCall(getPage, "http://s3/bucket/key")
local d = r:start(simpleBackoffIterator(), s3Tester)
print(r.running, r.attempts)
runClock()
print(table.concat(log, " "), d.result, r.attempts, r.running)
print("first failure kept:", r.failure)

-- 504 every time: ten tries at the default backoff, then the FIRST failure
local raised
getPage, log, raised = scriptedGetPage{504, 504, 504, 504, 504, 504, 504, 504, 504, 504}
local start = reactor:seconds()
r = RetryingCall(getPage, "u")
d = r:start(nil, s3Tester) -- nil: the default simpleBackoffIterator()
runClock()
for i, t in ipairs(log) do log[i] = string.format("@%g", tonumber(t:sub(2)) - start) end
print(table.concat(log, " "))
print(r.attempts, d.called, d.result.value == raised[1], d.result.value == raised[10])
d:addErrback(function() end)

-- a 404 on S3 is final: the tester's failure ends it after one try
getPage, log, raised = scriptedGetPage{404, 0}
start = reactor:seconds()
r = RetryingCall(getPage, "u")
d = r:start({0, 1}, s3Tester)
runClock()
print("404:", r.attempts, d.result, d.result.value == raised[1], reactor:seconds() - start)
d:addErrback(function() end)

-- Twitter: 500, 502, 503 retried; one 404 too (the second is believed)
local function twitterTester()
    local seen404 = false
    return function(f)
        f:trap(HttpError)
        local status = f.value.status
        if status == 404 then
            if seen404 then return f end
            seen404 = true
            return nil
        end
        if status == 500 or status == 502 or status == 503 then return nil end
        return f
    end
end
getPage, log = scriptedGetPage{500, 404, 502, 0}
start = reactor:seconds()
r = RetryingCall(getPage, "twitter")
d = r:start({0, 1, 1, 1, 1}, twitterTester())
runClock()
print("one 404:", d.result, r.attempts, reactor:seconds() - start)
getPage, log, raised = scriptedGetPage{503, 404, 404, 0}
start = reactor:seconds()
r = RetryingCall(getPage, "twitter")
d = r:start({0, 1, 1, 1, 1}, twitterTester())
runClock()
print("two 404s:", d.result, d.result.value == raised[3], r.failure.value == raised[1],
      reactor:seconds() - start)
d:addErrback(function() end)

-- a tester that raises stops with what it raised; no tester retries everything
r = RetryingCall(function() error(ValueError("nope")) end)
d = r:start({0, 0}, function(f) error(KeyError("tester says stop")) end)
runClock()
print("tester raised:", d.result, r.attempts)
d:addErrback(function() end)
local n = 0
r = RetryingCall(function(a, b) n = n + 1 if n < 3 then error("flaky") end return a + b end, 2, 3)
d = r:start({0, 0.5, 0.5})
runClock()
print("no tester:", d.result, r.attempts)

-- an iterator function as the backoff; an iterator that raises fails the call
local k = 0
r = RetryingCall(function() error("down") end)
d = r:start(function() k = k + 1 if k <= 2 then return k / 10 end end)
runClock()
print("iterator exhausted:", d.result, r.attempts)
d:addErrback(function() end)
r = RetryingCall(function() error("down") end)
local calls = 0
d = r:start(function()
    calls = calls + 1
    if calls == 2 then error(RuntimeError("iterator broke")) end
    return 0
end)
runClock()
print("iterator raised:", d.result, r.attempts)
d:addErrback(function() end)

-- cancelling stops the retrying
r = RetryingCall(function() error("down") end)
d = r:start({0, 5, 5})
reactor:advance(1)
d:addErrback(function(f) print("cancelled:", f, r.running, r.attempts) end)
d:cancel()
print("pending calls:", #reactor:getDelayedCalls())

-- errors
print(pcall(function() r:start({}) end))
print(pcall(function() r:start("soon") end))
print(pcall(function() r:start({0, -1}) end))
print(pcall(function() r:start({0, "x"}) end))
print(pcall(function() r:start({0}, 5) end))
print(pcall(function() RetryingCall(5) end))
print(pcall(function() RetryingCall() end))
print(pcall(function() simpleBackoffIterator{maxResults = 0} end))
print(pcall(function() simpleBackoffIterator{maxResults = 2.5} end))
print(pcall(function() simpleBackoffIterator{now = 1} end))
print(pcall(function() simpleBackoffIterator{incFunc = 2} end))
local bad = simpleBackoffIterator{incFunc = function() return "x" end}
print(bad(), bad(), pcall(bad))
r = RetryingCall(function() return 1 end)
d = r:start({5})
print(pcall(function() r:start() end))
d:cancel()
d:addErrback(function() end)
