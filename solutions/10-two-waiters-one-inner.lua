-- The program prints exactly this (tabs between print's arguments).
answer = [[
outerA step 1 got	1
outerB step 1 got	2
paused:	1	1
inner early got	5
outerA step 2 got	50
outerB step 2 got	nil
inner late got	nil
results:	50	nil	late
]]
