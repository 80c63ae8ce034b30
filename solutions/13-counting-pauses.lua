-- The program prints exactly this (tabs between print's arguments).
answer = [[
paused:	-1
called:	true	result:	go
paused:	1
A got	go
B got	go!
paused:	0	result:	go!?
]]
