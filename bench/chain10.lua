-- chain10.lua - callback throughput with Lua callbacks, run by
-- `deferlab run --quiet`. The sandbox has no clock, so bench/run.sh times
-- the whole process (startup included, which only counts against us).
-- Twin: bench/twisted/chain10.py.
local N = 100000
local function inc(x) return x + 1 end
for _ = 1, N do
    local d = Deferred()
    for _ = 1, 10 do d:addCallback(inc) end
    d:callback(0)
    assert(d.result == 10)
end
print(string.format("bench=chain10 impl=lua ops=%d", N * 10))
