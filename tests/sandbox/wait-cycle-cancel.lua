-- expect-status: 0
-- expect: after cancel: false
-- Two Deferreds waiting on each other, then cancel(): a clear error (as
-- Twisted's RecursionError), never an endless walk round the cycle.
a, b = Deferred(), Deferred()
a:addCallback(function() return b end)
b:addCallback(function() return a end)
a:callback(1)
b:callback(2)
local ok, err = pcall(function() a:cancel() end)
print("after cancel: " .. tostring(ok), tostring(err):match("cycle") and "cycle" or tostring(err))
