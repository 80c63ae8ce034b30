-- expect-status: 1
-- expect: string-dump.lua:6:
-- expect: attempt to call a nil value (field 'dump')
-- No bytecode can be made either.
print(string.dump)
local s = string.dump(function() return 1 end)
