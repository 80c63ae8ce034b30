-- expect-status: 1
-- expect: setmetatable-globals.lua:6:
-- expect: cannot change a protected metatable
-- The globals' metatable is locked.
print(getmetatable(_G))
setmetatable(_G, {__index = function(_, k) return k end})
