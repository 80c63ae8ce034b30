-- The program prints exactly this (tabs between print's arguments).
answer = [[
a's chain got	Failure(CancelledError)
a, late callback:	returned quietly
a, late errback:	raised AlreadyCalledError
a.result:	a handled
b's canceller runs
b's errback got	CancelledError
b, late callback:	raised AlreadyCalledError
c's callback got	fallback
c, late callback:	raised AlreadyCalledError
c.result:	fallback
]]
