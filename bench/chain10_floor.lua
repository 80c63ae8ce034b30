-- chain10_floor.lua - the floor under chain10.lua: the same loop with the
-- smallest Deferred that still does the job (a list of callbacks, each run
-- under pcall so that a raise could take the errback path), written in
-- plain Lua and run by `deferlab run --quiet` in the same sandbox.
--
-- It has no events, no labels, no errbacks, no chaining of returned
-- Deferreds, no cancellation: it is what the Lua VM and the sandbox's
-- instruction budget cost by themselves. bench/run.sh prints it beside
-- chain10.lua so the gap between the engine and the bare VM can be read.
local Floor = {}
Floor.__index = Floor

local function new()
    return setmetatable({fns = {}, n = 0, called = false}, Floor)
end

function Floor:addCallback(fn)
    self.n = self.n + 1
    self.fns[self.n] = fn
    if self.called then self:run() end
    return self
end

function Floor:run()
    local fns = self.fns
    for i = 1, self.n do
        local fn = fns[i]
        fns[i] = nil
        local ok, out = pcall(fn, self.result)
        assert(ok, out)
        self.result = out
    end
    self.n = 0
end

function Floor:callback(v)
    self.called = true
    self.result = v
    self:run()
end

local N = 100000
local function inc(x) return x + 1 end
for _ = 1, N do
    local d = new()
    for _ = 1, 10 do d:addCallback(inc) end
    d:callback(0)
    assert(d.result == 10)
end
print(string.format("bench=chain10-floor impl=lua ops=%d", N * 10))
