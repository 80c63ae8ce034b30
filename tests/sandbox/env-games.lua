-- expect-status: 1
-- expect: env-games.lua:8:
-- expect: attempt to call a nil value (global 'Deferred')
-- A local _ENV hides the globals; it opens nothing new.
local print = print
local _ENV = {}
print(io, os, debug, package)
local d = Deferred()
