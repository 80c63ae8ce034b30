-- The program prints exactly this (tabs between print's arguments).
answer = [[
second get allowed?	false
g1 got	a
g1 put the echo
after put a: pending	1	a-echo	waiting	0
put b allowed?	false
g2 fired?	true	a-echo
g3 errback got	CancelledError
pending	1	c	waiting	0
]]
