-- The program prints exactly this (tabs between print's arguments).
answer = [[
size after adding a fired Deferred:	2
a's owner got	A
empty #1, size	0
b's owner got	RuntimeError: B failed
second fired?	true	third fired?	false
empty #2
c's owner got	C
]]
