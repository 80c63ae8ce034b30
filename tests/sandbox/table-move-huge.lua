-- expect-status: 1
-- expect: table-move-huge.lua:5:
-- expect: instruction budget exhausted
-- table.move over 10^14 empty slots.
table.move({}, 1, 1e14, 1, {})
