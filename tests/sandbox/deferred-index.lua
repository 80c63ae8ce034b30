-- expect-status: 1
-- expect: deferred-index.lua:7:
-- expect: Deferred fields are read-only
-- Writing a field of a Deferred (d.result, d.callback) is refused.
local d = Deferred()
d:callback(1)
d.result = 2
