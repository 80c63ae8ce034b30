-- The program prints exactly this (tabs between print's arguments).
answer = [[
case 1: d2 has no canceller; cancel d2, then fire d1
d1:callback raised?	false
d1	holds the value	nil
case 2: the same, but d2 has a canceller
d2's canceller runs
d1:callback raised?	false
d1	holds a failure	AlreadyCalledError
case 3: cancel d1, which has a canceller
d1's canceller runs
d2	holds a failure	CancelledError
d1	holds the value	nil
]]
