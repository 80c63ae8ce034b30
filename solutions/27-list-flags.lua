-- The program prints exactly this (tabs between print's arguments).
answer = [[
dl1 failed: input	2	with	ValueError: b broke
b holds	Failure(ValueError: b broke)
dl2 fired after one failure?	false
dl2 fired; entries:	2	first ok?	false	second ok?	false
x holds	nil	y holds	nil
dl3 fired?	false
dl4 fired?	true
dl4 failed: input	2	with	RuntimeError: pre-failed
]]
