-- The program prints exactly this (tabs between print's arguments).
answer = [[
before firing, called =	false
first callback got	1
after firing, result =	2
late callback got	2
last callback got	nil
result:	done
]]
