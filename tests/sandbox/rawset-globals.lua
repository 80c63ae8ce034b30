-- expect-status: 1
-- expect: rawset-globals.lua:7:
-- expect: attempt to call a nil value (global 'Deferred')
-- rawset can only break this run's own globals.
rawset(_G, "Deferred", nil)
print(Deferred)
local d = Deferred()
