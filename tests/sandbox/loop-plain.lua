-- expect-status: 1
-- expect: loop-plain.lua:4:
-- expect: instruction budget exhausted (200000000 instructions)
while true do end
