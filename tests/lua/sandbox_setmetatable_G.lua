-- the globals table cannot be given a metatable
print(getmetatable(_G))
setmetatable(_G, {__index = function(_, k) return k end})
