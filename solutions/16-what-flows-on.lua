-- The program prints exactly this (tabs between print's arguments).
answer = [[
round 1: d1 succeeds
d1's first callback got	hey
d2 got	hey+1
d1 after the first chain got	nil
d3 got	nil
d1.result:	nil
round 2: d1 fails
d2 got	Failure(ValueError: boom)
d1 after the first chain got	nil
d3 got	nil
d1.result:	nil
]]
