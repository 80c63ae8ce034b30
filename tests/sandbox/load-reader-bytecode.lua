-- expect-status: 1
-- expect: load-reader-bytecode.lua:8:
-- expect: attempt to load a binary chunk
-- The same through a reader function, one piece at a time.
local pieces = {"\27", "Lua", "\84\0"}
local i = 0
local f, err = load(function() i = i + 1 return pieces[i] end)
assert(f, err)
