-- engine objects keep their metatables
local d = succeed(1)
print(getmetatable(d), getmetatable(ValueError("x")))
print(pcall(setmetatable, d, {}))
setmetatable(d, nil)
