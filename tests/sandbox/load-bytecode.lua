-- expect-status: 1
-- expect: load-bytecode.lua:7:
-- expect: attempt to load a binary chunk (mode is 't')
-- A precompiled chunk header; asking for mode "b" explicitly changes nothing.
local header = "\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64"
local f, err = load(header, "evil", "b")
assert(f, err)
