-- expect-status: 0
-- expect: Unhandled error in Deferred
-- expect: C stack overflow (raised at tests/sandbox/callbacks-fire-recursively.lua:10)
-- Each callback fires the next Deferred from inside its own callback: the
-- C stack grows per level through Lua, and Lua's C-call limit (about 200)
-- turns the deepest call into a Failure; the run itself goes on.
local ds = {}
for i = 1, 100000 do ds[i] = Deferred() end
for i = 1, 99999 do
    ds[i]:addCallback(function(v) ds[i + 1]:callback(v + 1) return v end)
end
ds[1]:callback(1)
print(ds[100000].result)
