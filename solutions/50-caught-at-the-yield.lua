-- What the program prints, line by line.
answer = [[
g1 starts
g2 starts
both returned; g1 fired: false
g1 first is ANN
g2 failed: no ghost
-- 1 s
g1 caught no ghost
g1 result: ANN and STRANGER!
-- 2 s
]]
