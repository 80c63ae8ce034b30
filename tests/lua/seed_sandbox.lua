-- The seed structures keep the sandbox intact: locked metatables, no raw pointers.
local q = ResizableDispatchQueue(function(x) return x end, 1)
local job = q:put("a").result
local things = {
    DeferredPool(), DeferredDict(), DeferredListObserver(), RetryingCall(print),
    q, job, DeferredPriorityQueue(), DeferredParallelCommandExecutor(),
    ControllableDeferred(Deferred()),
}
for _, t in ipairs(things) do
    local s = tostring(t)
    print(type(t), getmetatable(t), s:match("^<(%a+) #%d+") ~= nil, s:find("0x") == nil,
          pcall(setmetatable, t, {}))
end
-- the same object always comes back as the same value
print(q:put("b").result.jobarg, job == job, q:underway()[1] == nil)
-- no new fields can be stored in a structure
print(pcall(function() job.extra = 1 end))
print(pcall(function() rawset(job, "x", 1) end))
-- the iterator function keeps its state out of reach
local it = simpleBackoffIterator{maxResults = 1}
print(type(it), debug, it(), it())
-- methods check their self
local pool = DeferredPool()
print(pcall(function() pool.notifyWhenEmpty(q) end))
print(pcall(function() return pool.nosuch end))
