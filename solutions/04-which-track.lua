-- The program prints exactly this (tabs between print's arguments).
answer = [[
parse got	raw
eb A got	KeyError: no id
eb B trapped	KeyError
cb C got	guest
both got	Failure(ValueError: bad name guest)
last errback got	bad name guest
final:	handled
]]
