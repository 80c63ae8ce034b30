-- expect-status: 0
-- expect: <Deferred d
-- A fired Deferred whose callback returns the Deferred itself (Twisted warns
-- and keeps it as the result): its repr must not recurse forever.
d = succeed(1)
d:addCallback(function() return d end)
print(d)
