-- expect-status: 0
-- expect: Unhandled error in Deferred d#1000: RuntimeError: maximum recursion depth exceeded
-- expect: levels deep
-- expect: nil
-- 100000 Deferreds, each chainDeferred'ed into the next, then the first
-- fires. Twisted recurses once per link (RecursionError); the engine stops
-- at its documented depth (docs/engine.md, "Limits") with a RuntimeError in
-- the chain instead of overflowing the C stack (it was a segfault).
local ds = {}
for i = 1, 100000 do ds[i] = Deferred() end
for i = 1, 99999 do ds[i]:chainDeferred(ds[i + 1]) end
ds[1]:callback(1)
print(ds[100000].result)
