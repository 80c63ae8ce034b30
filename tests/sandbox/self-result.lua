-- expect-status: 0
-- expect: <Deferred d current result: {
-- A Deferred whose result holds itself: the repr must stop going round
-- (it overflowed the C stack once).
d = Deferred()
d:callback({d})
print(d)
