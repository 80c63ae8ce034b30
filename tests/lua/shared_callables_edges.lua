-- Shared callables at the edges (host.c, shared_luafn): pairs still holding
-- one when the run ends, callables released and their functions collected
-- every few rounds, a function added again after its last pair let go. Under
-- make test-asan this is a use-after-free and leak check of the holders.
local function keep(x) return x end
pending = {}
for i = 1, 5 do local d = Deferred(); d:addCallback(keep); pending[i] = d end
for round = 1, 200 do
    local function step(x) return x + round end
    local d = Deferred()
    d:addCallback(step):addCallback(step)
    d:callback(0)
    assert(d.result == 2 * round)
    step = nil
    d = nil
    if round % 10 == 0 then collectgarbage() end
end
local d2 = Deferred()
d2:addCallback(keep)
d2:callback("kept")
print(d2.result, #pending)
