-- expect-status: 1
-- expect: debug.lua:5:
-- expect: attempt to index a nil value (global 'debug')
-- No debug library: no sethook, getregistry, upvalue games.
debug.sethook()
