-- expect-status: 0
-- expect: chained, never fired
-- 100000 Deferreds chained and never fired: freeing them at the end of the
-- run released one link after another recursively (a segfault).
local ds = {}
for i = 1, 100000 do ds[i] = Deferred() end
for i = 1, 99999 do ds[i]:chainDeferred(ds[i + 1]) end
print("chained, never fired")
